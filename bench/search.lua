-- wrk script: GET /api/v1/search with the queries of queries.txt, in turn
-- per connection, starting at a random one (path in env SEARCH_QUERIES).
local queries = {}
local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
for line in io.lines(os.getenv("SEARCH_QUERIES")) do
  if #line > 0 then queries[#queries + 1] = encode(line) end
end
local i = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
  i = math.random(#queries)
end
function request()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/search?edition=vi&q=" .. queries[i])
end
