-- wrk script: POST a citizen's question (JSON) to /api/v1/qa/questions.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Nguyễn Văn Tải","email":"tai@example.vn","category":"social_insurance","title":"Cách tính lương hưu","content":"Tôi đóng bảo hiểm xã hội 20 năm thì lương hưu được tính thế nào?","consent":true}'
