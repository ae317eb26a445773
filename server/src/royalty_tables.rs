//! Royalty statements and estimates as tables, in the reader's language,
//! shared by the API's downloads and the editor's: one shape for both.

use std::collections::HashMap;

use chrono::NaiveDate;
use content::lang::Lang;
use content::royalties::amounts::Contribution;
use content::royalties::holders::Estimate;
use content::royalties::rules::Status;
use content::royalties::statements::{self, Grouping, Names, Scope, Statement};
use sea_orm::ConnectionTrait;

use crate::spreadsheet::{Cell, Table};

/// Holder and unit names for a statement.
pub async fn names(db: &impl ConnectionTrait, lang: Lang) -> content::Result<Names> {
    let units: HashMap<i32, String> = content::units::list(db)
        .await?
        .into_iter()
        .map(|u| (u.id, lang.pick(&u.name_vi, &u.name_en).to_owned()))
        .collect();
    let holders = content::royalties::holders::list(db)
        .await?
        .into_iter()
        .map(|h| {
            let name = h.unit_id.and_then(|u| units.get(&u).cloned()).unwrap_or(h.code);
            (h.id, name)
        })
        .collect();
    Ok(Names {
        holders,
        units,
        no_unit: lang
            .pick("Ngoài ngành, không thuộc đơn vị", "Outside the agency")
            .to_owned(),
    })
}

/// A statement read and grouped.
pub async fn statement<C>(
    db: &C,
    scope: &Scope,
    by: Grouping,
    lang: Lang,
) -> content::Result<(Statement, Names)>
where
    C: ConnectionTrait + sea_orm::StreamTrait + Send,
{
    let names = names(db, lang).await?;
    let statement = statements::read(db, scope, by, &names, lang).await?;
    Ok((statement, names))
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|| "…".into())
}

/// The statement's title line.
pub fn title(scope: &Scope, by: Grouping, lang: Lang) -> String {
    let what = match (scope.status, lang) {
        (Status::Paid, Lang::Vi) => "Bảng kê nhuận bút, thù lao đã chi trả",
        (Status::Paid, Lang::En) => "Royalties paid",
        (_, Lang::Vi) => "Danh sách nhuận bút, thù lao đã duyệt chờ chi trả",
        (_, Lang::En) => "Royalties approved, awaiting payment",
    };
    let period = lang.pick("từ {from} đến {to}", "from {from} to {to}");
    let period = period
        .replace("{from}", &day(scope.from))
        .replace("{to}", &day(scope.to));
    format!("{what} {period} ({})", by.label(lang).to_lowercase())
}

/// The statement as a table: every line for the payment list, one row per
/// group otherwise, a total at the end.
pub fn statement_table(s: &Statement, names: &Names, scope: &Scope, by: Grouping, lang: Lang) -> Table {
    let money = |v: i64| Cell::Money(v);
    let (head, rows): (Vec<&str>, Vec<Vec<Cell>>) = if by == Grouping::Line {
        let head = if lang == Lang::Vi {
            vec![
                "STT",
                "Họ và tên",
                "Đơn vị",
                "Vai trò",
                "Tác phẩm",
                "Ngày đăng",
                "Thể loại",
                "Đơn vị chi trả",
                "Nhuận bút (đồng)",
                "Thuế TNCN khấu trừ (đồng)",
                "Thực nhận (đồng)",
                "Ngày chi",
                "Số chứng từ",
            ]
        } else {
            vec![
                "No.",
                "Name",
                "Unit",
                "Contribution",
                "Work",
                "Published",
                "Genre",
                "Budget holder",
                "Gross (VND)",
                "Tax withheld (VND)",
                "Net (VND)",
                "Paid on",
                "Voucher",
            ]
        };
        let rows = s
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let l = r.line.as_ref()?;
                let genre = l
                    .genre
                    .parse::<content::posts::Genre>()
                    .map(|g| content::royalties::rates::genre_label(g, lang).to_owned())
                    .unwrap_or_else(|_| l.genre.clone());
                Some(vec![
                    Cell::Number(i as i64 + 1),
                    l.name.clone().into(),
                    l.unit_id
                        .and_then(|u| names.units.get(&u).cloned())
                        .unwrap_or_else(|| names.no_unit.clone())
                        .into(),
                    Contribution::parse(&l.contribution)
                        .map(|c| c.label(lang).to_owned())
                        .unwrap_or_default()
                        .into(),
                    l.title.clone().into(),
                    Cell::Date(l.published_on),
                    genre.into(),
                    names
                        .holders
                        .get(&l.holder_id)
                        .cloned()
                        .unwrap_or_default()
                        .into(),
                    money(r.gross),
                    money(r.withheld),
                    money(r.net),
                    l.paid_on.into(),
                    l.payment_reference.clone().unwrap_or_default().into(),
                ])
            })
            .collect();
        (head, rows)
    } else {
        let group = match (by, lang) {
            (Grouping::Author, Lang::Vi) => "Họ và tên",
            (Grouping::Author, Lang::En) => "Name",
            (Grouping::Holder, Lang::Vi) => "Đơn vị chi trả",
            (Grouping::Holder, Lang::En) => "Budget holder",
            (Grouping::Genre, Lang::Vi) => "Thể loại",
            (Grouping::Genre, Lang::En) => "Genre",
            (_, Lang::Vi) => "Đơn vị cung cấp tin",
            (_, Lang::En) => "Supplying unit",
        };
        let head = if lang == Lang::Vi {
            vec![
                "STT",
                group,
                "Số dòng",
                "Nhuận bút (đồng)",
                "Thuế TNCN khấu trừ (đồng)",
                "Thực nhận (đồng)",
            ]
        } else {
            vec![
                "No.",
                group,
                "Lines",
                "Gross (VND)",
                "Tax withheld (VND)",
                "Net (VND)",
            ]
        };
        let rows = s
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::Number(i as i64 + 1),
                    r.label.clone().into(),
                    Cell::Number(i64::from(r.lines)),
                    money(r.gross),
                    money(r.withheld),
                    money(r.net),
                ]
            })
            .collect();
        (head, rows)
    };
    let mut rows = rows;
    let width = head.len();
    let mut total = vec![Cell::Empty; width];
    total[1] = s.total.label.clone().into();
    total[width - if by == Grouping::Line { 5 } else { 3 }] = money(s.total.gross);
    total[width - if by == Grouping::Line { 4 } else { 2 }] = money(s.total.withheld);
    total[width - if by == Grouping::Line { 3 } else { 1 }] = money(s.total.net);
    rows.push(total);
    Table {
        sheet: by.label(lang).to_owned(),
        title: Some(title(scope, by, lang)),
        head: head.into_iter().map(str::to_owned).collect(),
        rows,
    }
}

/// The consolidated estimate (Đ17.2): each holder's figures of `year` and
/// its estimate for next year, with the sum.
pub fn estimate_table(all: &[Estimate], names: &Names, year: i32, lang: Lang) -> Table {
    let head: Vec<String> = if lang == Lang::Vi {
        vec![
            "Đơn vị chi trả".into(),
            format!("Dự toán năm {year} (đồng)"),
            "Chờ duyệt (đồng)".into(),
            "Đã duyệt chờ chi (đồng)".into(),
            "Đã chi (đồng)".into(),
            format!("Ước thực hiện cả năm {year} (đồng)"),
            format!("Giá trị đơn vị hệ số {year} (đồng)"),
            format!("Giá trị đơn vị hệ số {} (đồng)", year + 1),
            format!("Dự toán năm {} (đồng)", year + 1),
        ]
    } else {
        vec![
            "Budget holder".into(),
            format!("Budget {year} (VND)"),
            "Proposed (VND)".into(),
            "Approved, unpaid (VND)".into(),
            "Paid (VND)".into(),
            format!("Projected {year} (VND)"),
            format!("Unit value {year} (VND)"),
            format!("Unit value {} (VND)", year + 1),
            format!("Estimate {} (VND)", year + 1),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut sum = [0_i64; 6];
    for e in all {
        let m = &e.meter;
        let values = [
            m.budget.unwrap_or(0),
            m.committed,
            m.approved,
            m.paid,
            e.projected,
            e.estimate,
        ];
        for (s, v) in sum.iter_mut().zip(values) {
            *s += v;
        }
        rows.push(vec![
            names
                .holders
                .get(&e.holder.id)
                .cloned()
                .unwrap_or_default()
                .into(),
            m.budget.map(Cell::Money).unwrap_or(Cell::Empty),
            Cell::Money(m.committed),
            Cell::Money(m.approved),
            Cell::Money(m.paid),
            Cell::Money(e.projected),
            Cell::Money(e.unit_value_now),
            Cell::Money(e.unit_value_next),
            Cell::Money(e.estimate),
        ]);
    }
    rows.push(vec![
        lang.pick("Tổng hợp", "Consolidated").into(),
        Cell::Money(sum[0]),
        Cell::Money(sum[1]),
        Cell::Money(sum[2]),
        Cell::Money(sum[3]),
        Cell::Money(sum[4]),
        Cell::Empty,
        Cell::Empty,
        Cell::Money(sum[5]),
    ]);
    Table {
        sheet: lang.pick("Dự toán", "Estimate").to_owned(),
        title: Some(format!(
            "{} {}",
            lang.pick(
                "Dự toán kinh phí nhuận bút, thù lao năm",
                "Royalty budget estimate for"
            ),
            year + 1
        )),
        head,
        rows,
    }
}
