//! Statements: the lines paid (or approved and waiting to be paid) in a
//! period, one row each or summed per author, per budget holder, per genre
//! or per supplying unit (Đ7.2e), with gross, withheld and net. One query
//! reads every line of the period with its proposal and work; grouping
//! happens here, so a year of 50,000 lines is one pass.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ConnectionTrait, FromQueryResult, StreamTrait};

use super::rules::Status;
use crate::error::{Error, Result};
use crate::lang::Lang;

/// How a statement's lines are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// Every line: the payment list.
    Line,
    Author,
    Holder,
    Genre,
    Unit,
}

impl Grouping {
    pub const ALL: [Grouping; 5] = [
        Grouping::Line,
        Grouping::Author,
        Grouping::Holder,
        Grouping::Genre,
        Grouping::Unit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Line => "line",
            Grouping::Author => "author",
            Grouping::Holder => "holder",
            Grouping::Genre => "genre",
            Grouping::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Grouping> {
        Grouping::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Grouping::Line => lang.pick("Danh sách chi trả", "Payment list"),
            Grouping::Author => lang.pick("Theo tác giả", "By author"),
            Grouping::Holder => lang.pick("Theo đơn vị chi trả", "By budget holder"),
            Grouping::Genre => lang.pick("Theo thể loại", "By genre"),
            Grouping::Unit => lang.pick("Theo đơn vị cung cấp tin", "By supplying unit"),
        }
    }
}

/// What a statement covers.
#[derive(Clone, Debug)]
pub struct Scope {
    /// `Paid` (by payment day) or `Approved` (waiting for payment, by
    /// approval day).
    pub status: Status,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub holders: Vec<i32>,
    pub user_id: Option<i32>,
    pub name: Option<String>,
    pub unit_id: Option<i32>,
    pub genre: Option<String>,
}

/// One line of the period with its proposal and work.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct LineRow {
    pub line_id: i32,
    pub proposal_id: i32,
    pub user_id: Option<i32>,
    pub name: String,
    pub unit_id: Option<i32>,
    pub contribution: String,
    pub amount: i64,
    pub withheld: Option<i64>,
    pub net: Option<i64>,
    pub holder_id: i32,
    pub genre: String,
    pub paid_on: Option<NaiveDate>,
    pub payment_reference: Option<String>,
    pub title: String,
    pub post_id: Option<i32>,
    pub question_id: Option<i32>,
    pub published_on: NaiveDate,
}

/// A row of a statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The person, holder, genre or unit (the line's person for `Line`).
    pub label: String,
    pub user_id: Option<i32>,
    pub lines: u32,
    pub gross: i64,
    pub withheld: i64,
    pub net: i64,
    /// `Line` only: the work and its payment.
    pub line: Option<LineRow>,
}

/// A statement: its rows and their sum.
#[derive(Clone, Debug, Default)]
pub struct Statement {
    pub rows: Vec<Row>,
    pub total: Row,
}

/// Every line the query covers, oldest payment first.
pub async fn lines(db: &impl ConnectionTrait, q: &Scope) -> Result<Vec<LineRow>> {
    let stmt = db.get_database_backend().build(&select(q)?);
    Ok(LineRow::find_by_statement(stmt).all(db).await?)
}

/// The query of a statement's lines: each with its proposal and work.
fn select(q: &Scope) -> Result<sea_orm::sea_query::SelectStatement> {
    if !matches!(q.status, Status::Paid | Status::Approved) {
        return Err(Error::invalid(
            "status",
            "a statement is of `paid` or `approved` lines",
        ));
    }
    let (l, p, s) = (Alias::new("l"), Alias::new("p"), Alias::new("s"));
    let mut sel = Query::select();
    sel.expr_as(Expr::col((l.clone(), Alias::new("id"))), Alias::new("line_id"))
        .expr_as(
            Expr::col((p.clone(), Alias::new("id"))),
            Alias::new("proposal_id"),
        );
    for c in [
        "user_id",
        "name",
        "unit_id",
        "contribution",
        "amount",
        "withheld",
        "net",
    ] {
        sel.column((l.clone(), Alias::new(c)));
    }
    for c in ["holder_id", "genre", "paid_on", "payment_reference"] {
        sel.column((p.clone(), Alias::new(c)));
    }
    for c in ["title", "post_id", "question_id", "published_on"] {
        sel.column((s.clone(), Alias::new(c)));
    }
    sel.from_as(Alias::new("royalty_lines"), l.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new("royalty_proposals"),
            p.clone(),
            Expr::col((p.clone(), Alias::new("id"))).equals((l.clone(), Alias::new("proposal_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("royalty_sheets"),
            s.clone(),
            Expr::col((s.clone(), Alias::new("id"))).equals((p.clone(), Alias::new("sheet_id"))),
        )
        .and_where(Expr::col((p.clone(), Alias::new("status"))).eq(q.status.as_str()))
        .and_where(Expr::col((p.clone(), Alias::new("holder_id"))).is_in(q.holders.clone()));
    match q.status {
        Status::Paid => {
            if let Some(d) = q.from {
                sel.and_where(Expr::col((p.clone(), Alias::new("paid_on"))).gte(d));
            }
            if let Some(d) = q.to {
                sel.and_where(Expr::col((p.clone(), Alias::new("paid_on"))).lte(d));
            }
        }
        _ => {
            if let Some(d) = q.from {
                sel.and_where(
                    Expr::col((p.clone(), Alias::new("decided_at"))).gte(crate::time::start_of_day_vn(d)),
                );
            }
            if let Some(d) = q.to {
                let end = crate::time::start_of_day_vn(d + chrono::Days::new(1));
                sel.and_where(Expr::col((p.clone(), Alias::new("decided_at"))).lt(end));
            }
        }
    }
    if let Some(u) = q.user_id {
        sel.and_where(Expr::col((l.clone(), Alias::new("user_id"))).eq(u));
    }
    if let Some(n) = &q.name {
        sel.and_where(Expr::col((l.clone(), Alias::new("name"))).eq(n.as_str()));
    }
    if let Some(u) = q.unit_id {
        sel.and_where(Expr::col((l.clone(), Alias::new("unit_id"))).eq(u));
    }
    if let Some(g) = &q.genre {
        sel.and_where(Expr::col((p.clone(), Alias::new("genre"))).eq(g.as_str()));
    }
    sel.order_by((p.clone(), Alias::new("paid_on")), Order::Asc)
        .order_by((p.clone(), Alias::new("id")), Order::Asc)
        .order_by((l.clone(), Alias::new("position")), Order::Asc);
    Ok(sel)
}

/// Names the statement's groups need: holders, units.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub holders: HashMap<i32, String>,
    pub units: HashMap<i32, String>,
    pub no_unit: String,
}

/// Groups lines as they come, so a year's statement grouped per author
/// never holds its 50,000 lines at once. Pure.
pub struct Grouper<'a> {
    by: Grouping,
    names: &'a Names,
    lang: Lang,
    rows: Vec<Row>,
    index: HashMap<String, usize>,
    total: Row,
}

impl<'a> Grouper<'a> {
    pub fn new(by: Grouping, names: &'a Names, lang: Lang) -> Self {
        Grouper {
            by,
            names,
            lang,
            rows: Vec::new(),
            index: HashMap::new(),
            total: Row {
                label: lang.pick("Tổng cộng", "Total").to_owned(),
                ..Default::default()
            },
        }
    }

    pub fn push(&mut self, line: LineRow) {
        let (names, lang) = (self.names, self.lang);
        let withheld = line.withheld.unwrap_or(0);
        let net = line.net.unwrap_or(line.amount - withheld);
        self.total.lines += 1;
        self.total.gross += line.amount;
        self.total.withheld += withheld;
        self.total.net += net;
        let (key, label, user_id) = match self.by {
            Grouping::Line => {
                self.rows.push(Row {
                    label: line.name.clone(),
                    user_id: line.user_id,
                    lines: 1,
                    gross: line.amount,
                    withheld,
                    net,
                    line: Some(line),
                });
                return;
            }
            Grouping::Author => (
                match line.user_id {
                    Some(id) => format!("u{id}"),
                    None => format!("n{}", line.name.to_lowercase()),
                },
                line.name.clone(),
                line.user_id,
            ),
            Grouping::Holder => (
                line.holder_id.to_string(),
                names.holders.get(&line.holder_id).cloned().unwrap_or_default(),
                None,
            ),
            Grouping::Genre => {
                let label = line
                    .genre
                    .parse::<crate::posts::Genre>()
                    .map(|g| super::rates::genre_label(g, lang).to_owned())
                    .unwrap_or_else(|_| line.genre.clone());
                (line.genre.clone(), label, None)
            }
            Grouping::Unit => (
                line.unit_id.map(|u| u.to_string()).unwrap_or_default(),
                line.unit_id
                    .and_then(|u| names.units.get(&u).cloned())
                    .unwrap_or_else(|| names.no_unit.clone()),
                None,
            ),
        };
        let rows = &mut self.rows;
        let i = *self.index.entry(key).or_insert_with(|| {
            rows.push(Row {
                label,
                user_id,
                ..Default::default()
            });
            rows.len() - 1
        });
        let r = &mut self.rows[i];
        r.lines += 1;
        r.gross += line.amount;
        r.withheld += withheld;
        r.net += net;
    }

    /// The statement: groups in the order of their labels, lines in the
    /// order read.
    pub fn finish(mut self) -> Statement {
        if self.by != Grouping::Line {
            self.rows.sort_by(|a, b| a.label.cmp(&b.label));
        }
        Statement {
            rows: self.rows,
            total: self.total,
        }
    }
}

/// Groups the lines. Pure.
pub fn group(lines: Vec<LineRow>, by: Grouping, names: &Names, lang: Lang) -> Statement {
    let mut g = Grouper::new(by, names, lang);
    for l in lines {
        g.push(l);
    }
    g.finish()
}

/// Reads and groups a statement, one line at a time from the database.
pub async fn read<C>(db: &C, q: &Scope, by: Grouping, names: &Names, lang: Lang) -> Result<Statement>
where
    C: ConnectionTrait + StreamTrait + Send,
{
    use futures_util::StreamExt;
    let stmt = ConnectionTrait::get_database_backend(db).build(&select(q)?);
    let mut stream = LineRow::find_by_statement(stmt).stream(db).await?;
    let mut g = Grouper::new(by, names, lang);
    while let Some(row) = stream.next().await {
        g.push(row?);
    }
    Ok(g.finish())
}
#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        user: Option<i32>,
        name: &str,
        amount: i64,
        withheld: i64,
        genre: &str,
        unit: Option<i32>,
    ) -> LineRow {
        LineRow {
            line_id: 1,
            proposal_id: 1,
            user_id: user,
            name: name.into(),
            unit_id: unit,
            contribution: "author".into(),
            amount,
            withheld: Some(withheld),
            net: Some(amount - withheld),
            holder_id: 1,
            genre: genre.into(),
            paid_on: None,
            payment_reference: None,
            title: "T".into(),
            post_id: Some(1),
            question_id: None,
            published_on: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
        }
    }

    #[test]
    fn statements_sum_per_author_genre_and_unit() {
        let all = vec![
            line(Some(1), "An", 1_000_000, 0, "news", Some(7)),
            line(None, "Bình", 2_500_000, 250_000, "commentary", None),
            line(Some(1), "An", 500_000, 0, "commentary", Some(7)),
        ];
        let names = Names {
            units: HashMap::from([(7, "Trung tâm Truyền thông".to_owned())]),
            no_unit: "Cộng tác viên ngoài ngành".into(),
            ..Default::default()
        };
        let s = group(all.clone(), Grouping::Author, &names, Lang::Vi);
        assert_eq!(s.rows.len(), 2);
        assert_eq!(
            (s.rows[0].label.as_str(), s.rows[0].gross, s.rows[0].lines),
            ("An", 1_500_000, 2)
        );
        assert_eq!((s.rows[1].withheld, s.rows[1].net), (250_000, 2_250_000));
        assert_eq!(
            (s.total.gross, s.total.withheld, s.total.net),
            (4_000_000, 250_000, 3_750_000)
        );
        let g = group(all.clone(), Grouping::Genre, &names, Lang::Vi);
        assert_eq!(
            g.rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(),
            ["Bình luận, chuyên luận", "Tin tức"]
        );
        let u = group(all.clone(), Grouping::Unit, &names, Lang::Vi);
        assert_eq!(u.rows[0].label, "Cộng tác viên ngoài ngành");
        assert_eq!(u.rows[1].gross, 1_500_000);
        assert_eq!(group(all, Grouping::Line, &names, Lang::Vi).rows.len(), 3);
    }
}
