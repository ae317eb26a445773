-- wrk script: GET /api/v1/search with the queries of queries.txt, in turn
-- per connection, starting at a random one (path in env SEARCH_QUERIES).
-- With SEARCH_VARY=1 each request also asks for a random page (1-3) and
-- page size (5-50): some 28,000 distinct requests, so that nearly every
-- one misses the server's result cache and runs the engine.
local queries = {}
local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
for line in io.lines(os.getenv("SEARCH_QUERIES")) do
  if #line > 0 then queries[#queries + 1] = encode(line) end
end
local vary = os.getenv("SEARCH_VARY") == "1"
local i = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
  i = math.random(#queries)
end
function request()
  i = i % #queries + 1
  local path = "/api/v1/search?edition=vi&q=" .. queries[i]
  if vary then
    path = path .. "&page=" .. math.random(3) .. "&per_page=" .. math.random(5, 50)
  end
  return wrk.format("GET", path)
end
