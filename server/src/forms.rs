//! What a request sends: URL-encoded form bodies of the editor and the
//! public forms (repeated keys, such as checkbox groups, kept) and
//! query-string parameters.

use poem::Body;
use poem::http::StatusCode;

/// The largest form body accepted.
const MAX_FORM: usize = 256 * 1024;

/// One query-string parameter, decoded.
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

    pub fn parse(bytes: &[u8]) -> Form {
        Form(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), content::text::nfc(&v)))
                .collect(),
        )
    }

    /// The first value of `key`.
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
