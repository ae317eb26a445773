//! What a request sends: URL-encoded form bodies of the editor and the
//! public forms (repeated keys, such as checkbox groups, kept) and
//! query-string parameters.

use poem::Body;
use poem::http::StatusCode;

/// The largest form body accepted.
const MAX_FORM: usize = 256 * 1024;

/// One query-string parameter, decoded.
/// The request's query string without `page` and `drop`, ending in `&`
/// when not empty: the prefix of a list's pager and filter links.
pub fn query_again(req: &poem::Request, drop: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes()) {
        if k != "page" && k != drop && !v.is_empty() {
            out.append_pair(&k, &v);
        }
    }
    let s = out.finish();
    if s.is_empty() { s } else { s + "&" }
}

pub fn query(req: &poem::Request, key: &str) -> Option<String> {
    req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    })
}

/// A decoded form; values are NFC-normalised (Đ5.2).
pub struct Form(Vec<(String, String)>);

impl Form {
    pub async fn read(body: Body) -> poem::Result<Form> {
        let bytes = body
            .into_bytes_limit(MAX_FORM)
            .await
            .map_err(|_| poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE))?;
        Ok(Form::parse(&bytes))
    }

    /// A form that may be `multipart/form-data` with one file field named
    /// `file` (its name and bytes; absent or empty when none was chosen),
    /// or URL-encoded.
    pub async fn read_with_file(
        req: &poem::Request,
        body: Body,
    ) -> poem::Result<(Form, Option<(String, Vec<u8>)>)> {
        use poem::FromRequest;
        let multipart = req
            .header(poem::http::header::CONTENT_TYPE)
            .is_some_and(|t| t.starts_with("multipart/form-data"));
        if !multipart {
            return Ok((Form::read(body).await?, None));
        }
        let mut parts = poem::web::Multipart::from_request(req, &mut poem::RequestBody::new(body)).await?;
        let mut pairs = Vec::new();
        let mut file = None;
        let bad = |e: poem::error::ParseMultipartError| poem::Error::new(e, StatusCode::BAD_REQUEST);
        while let Some(field) = parts.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "file" {
                let file_name = field.file_name().unwrap_or("tep").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| poem::Error::new(e, StatusCode::PAYLOAD_TOO_LARGE))?;
                if !bytes.is_empty() {
                    file = Some((file_name, bytes));
                }
            } else {
                let value = field
                    .text()
                    .await
                    .map_err(|e| poem::Error::new(e, StatusCode::BAD_REQUEST))?;
                pairs.push((name, content::text::nfc(&value)));
            }
        }
        Ok((Form(pairs), file))
    }

    pub fn parse(bytes: &[u8]) -> Form {
        Form(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), content::text::nfc(&v)))
                .collect(),
        )
    }

    /// The first value of `key`.
    /// The first value of every field, for re-filling a failed form.
    pub fn to_map(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        for (k, v) in &self.0 {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        out
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_and_nfc() {
        let f = Form::parse("roles=editor&roles=admin&name=Ho%CC%80a+Bi%CC%80nh&csrf=x".as_bytes());
        assert_eq!(f.all("roles").collect::<Vec<_>>(), vec!["editor", "admin"]);
        assert_eq!(f.get("name"), Some("Hòa Bình"));
        assert_eq!(f.get("missing"), None);
    }
}
