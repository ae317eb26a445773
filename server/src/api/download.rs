//! Files the API answers with: a table as CSV or XLSX (one 200 response
//! with both media types; a derived response would keep only the last
//! variant of a status), and an answer that is JSON unless a file format
//! is asked for.

use poem_openapi::payload::Json;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef,
};
use poem_openapi::types::{ToJSON, Type};
use poem_openapi::{ApiResponse, Enum};

use crate::problem::ApiError;
use crate::spreadsheet::{self, Table};

use crate::spreadsheet::{CSV_TYPE as CSV, XLSX_TYPE as XLSX};

/// The file formats of a table.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[oai(rename_all = "lowercase")]
pub enum SpreadsheetFormat {
    Csv,
    Xlsx,
}

/// A table as a file to download.
pub struct Download {
    bytes: Vec<u8>,
    content_type: &'static str,
    file_name: String,
}

impl Download {
    pub fn csv(t: &Table, name: &str) -> Result<Self, ApiError> {
        Ok(Download {
            bytes: spreadsheet::csv(t)?,
            content_type: CSV,
            file_name: format!("{name}.csv"),
        })
    }

    pub fn xlsx(t: &Table, name: &str) -> Result<Self, ApiError> {
        Ok(Download {
            bytes: spreadsheet::xlsx(t)?,
            content_type: XLSX,
            file_name: format!("{name}.xlsx"),
        })
    }

    /// A file made elsewhere (a workbook of several sheets).
    pub fn from_bytes(bytes: Vec<u8>, content_type: &'static str, file_name: String) -> Self {
        Download {
            bytes,
            content_type,
            file_name,
        }
    }

    pub fn of(t: &Table, name: &str, format: SpreadsheetFormat) -> Result<Self, ApiError> {
        match format {
            SpreadsheetFormat::Csv => Self::csv(t, name),
            SpreadsheetFormat::Xlsx => Self::xlsx(t, name),
        }
    }
}

impl poem::IntoResponse for Download {
    fn into_response(self) -> poem::Response {
        poem::Response::builder()
            .content_type(self.content_type)
            .header(
                poem::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", self.file_name),
            )
            .body(self.bytes)
    }
}

fn file_types() -> Vec<MetaMediaType> {
    let file = || {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            format: Some("binary"),
            ..MetaSchema::new("string")
        }))
    };
    vec![
        MetaMediaType {
            content_type: CSV,
            schema: file(),
        },
        MetaMediaType {
            content_type: XLSX,
            schema: file(),
        },
    ]
}

fn disposition() -> MetaHeader {
    MetaHeader {
        name: "Content-Disposition".into(),
        description: Some("The file's name (files only).".into()),
        required: false,
        deprecated: false,
        schema: <String as Type>::schema_ref(),
    }
}

impl ApiResponse for Download {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The table as a file (`format=csv` or `format=xlsx`)",
                status: Some(200),
                status_range: None,
                content: file_types(),
                headers: vec![MetaHeader {
                    required: true,
                    ..disposition()
                }],
            }],
        }
    }

    fn register(_: &mut poem_openapi::registry::Registry) {}
}

/// JSON by default, a file when `format=csv` or `format=xlsx` is asked.
pub enum JsonOrFile<T> {
    Json(Json<T>),
    File(Download),
}

impl<T: ToJSON + Send> poem::IntoResponse for JsonOrFile<T> {
    fn into_response(self) -> poem::Response {
        match self {
            JsonOrFile::Json(j) => j.into_response(),
            JsonOrFile::File(f) => f.into_response(),
        }
    }
}

impl<T: ToJSON + Send> ApiResponse for JsonOrFile<T> {
    fn meta() -> MetaResponses {
        let mut content = vec![MetaMediaType {
            content_type: "application/json; charset=utf-8",
            schema: T::schema_ref(),
        }];
        content.extend(file_types());
        MetaResponses {
            responses: vec![MetaResponse {
                description: "JSON, or the same table as a file with `format=csv` or `format=xlsx`",
                status: Some(200),
                status_range: None,
                content,
                headers: vec![disposition()],
            }],
        }
    }

    fn register(registry: &mut poem_openapi::registry::Registry) {
        T::register(registry);
    }
}
