//! The public side of the Q&A service (Đ11.1a "Hỏi đáp") and of proposals
//! and petitions (Đ4.1c, Vietnamese section 16), one pipeline with two
//! channels: the form, the tracking page, and the published items by
//! category, in the Q&A section of each edition (Vietnamese 6 and its
//! items, English FAQs) and in section 16. Published items never show the
//! sender's personal data.

use minijinja::{Value, context};
use poem::Request;
use serde::Serialize;

use content::lang::Lang;
use content::questions::{self, Asked, CATEGORIES, Channel};
use content::sections::Node;
use content::time::format_vn;

use super::listing::items;
use crate::forms::Form;
use crate::public::delivery::Rendered;
use crate::public::layout::{Layout, html, layout, trail};
use crate::public::tree::Tree;
use crate::public::{err, i18n};
use crate::state::AppState;

/// The channel whose section `node` is (section 16: proposals and
/// petitions; else the Q&A).
pub(crate) fn channel_of(node: &Node) -> Channel {
    if node.section.code == Channel::Petition.section() {
        Channel::Petition
    } else {
        Channel::Question
    }
}

/// The words of a channel's pages: its form's heading, subject and text
/// labels, and its list's heading.
struct Words {
    ask: &'static str,
    subject: &'static str,
    content: &'static str,
    list: &'static str,
}

fn words(channel: Channel) -> Words {
    match channel {
        Channel::Question => Words {
            ask: "ask",
            subject: "q_title",
            content: "q_content",
            list: "answered_questions",
        },
        Channel::Petition => Words {
            ask: "petition_ask",
            subject: "petition_title",
            content: "petition_content",
            list: "answered_petitions",
        },
    }
}

/// The Q&A item of a category (Vietnamese section 6's items, in order).
fn category_of(node: &Node) -> Option<&'static str> {
    let n: usize = node.section.code.rsplit('-').next()?.parse().ok()?;
    CATEGORIES.get(n.checked_sub(1)?).copied()
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
}

fn categories(lang: Lang, channel: Channel) -> Vec<Choice> {
    channel
        .categories()
        .iter()
        .map(|c| Choice {
            value: c,
            label: i18n::text(lang, &format!("cat_{c}")).to_owned(),
        })
        .collect()
}

fn base_layout<'a>(ed: Lang, qa: &Node, title: String, path: String, current: &'a str) -> Layout<'a> {
    Layout {
        current,
        breadcrumbs: trail(ed, None, qa, Some(title.clone())),
        ..Layout::new(ed, title, path)
    }
}

/// Renders a Q&A page, or `None` when `rest` is not one.
pub(crate) async fn render(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    qa: &Node,
    rest: &[&str],
) -> poem::Result<Option<Rendered>> {
    let lang = ed;
    let base = format!("/{lang}/{}", qa.slug());
    let ask_href = format!("{base}/{}", i18n::text(lang, "ask_slug"));
    let track_href = format!("{base}/{}", i18n::text(lang, "track_slug"));
    let page: u64 = crate::forms::query(req, "page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    match rest {
        [] => list(state, ed, tree, qa, None, &base, &ask_href, &track_href, page)
            .await
            .map(Some),
        [item] if qa.children.iter().any(|c| c.slug() == *item) => {
            let Some(node) = qa.children.iter().find(|c| c.slug() == *item) else {
                return Ok(None);
            };
            list(
                state,
                ed,
                tree,
                qa,
                Some(node),
                &base,
                &ask_href,
                &track_href,
                page,
            )
            .await
            .map(Some)
        }
        [s] if *s == i18n::text(lang, "ask_slug") => {
            ask_page(state, req, ed, tree, qa, None, None).await.map(Some)
        }
        [s] if *s == i18n::text(lang, "track_slug") => {
            track_page(state, req, ed, tree, qa, None).await.map(Some)
        }
        [s, id] if *s == i18n::text(lang, "question_slug") => match id.parse::<i32>() {
            Ok(id) => detail(state, ed, tree, qa, id).await,
            Err(_) => Ok(None),
        },
        _ => Ok(None),
    }
}

#[allow(clippy::too_many_arguments)]
async fn list(
    state: &AppState,
    ed: Lang,
    tree: &Tree,
    qa: &Node,
    item: Option<&Node>,
    base: &str,
    ask_href: &str,
    track_href: &str,
    page: u64,
) -> poem::Result<Rendered> {
    let lang = ed;
    let channel = channel_of(qa);
    let category = item.and_then(category_of);
    let (rows, total) =
        questions::published_page(&state.db, channel, category, (page - 1) * PER_PAGE, PER_PAGE)
            .await
            .map_err(err)?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    if page > pages {
        return Ok(Rendered::Page(crate::public::layout::not_found(state, ed).await?));
    }
    let qs: Vec<Value> = rows
        .iter()
        .map(|q| {
            context! {
                href => format!("{base}/{}/{}", i18n::text(lang, "question_slug"), q.id),
                title => q.title.clone(),
                published => q.published_on.format("%d/%m/%Y").to_string(),
                published_iso => q.published_on.to_string(),
            }
        })
        .collect();
    let node = item.unwrap_or(qa);
    let heading = node.section.name_in(lang).to_owned();
    let path = match item {
        Some(i) => format!("{base}/{}", i.slug()),
        None => base.to_owned(),
    };
    let path = if page > 1 {
        format!("{path}?page={page}")
    } else {
        path
    };
    let links: Vec<Value> = if item.is_none() {
        qa.children
            .iter()
            .map(|c| context! { href => format!("{base}/{}", c.slug()), label => c.section.name_in(lang) })
            .collect()
    } else {
        Vec::new()
    };
    let ids: Vec<i32> = std::iter::once(node.section.id)
        .chain(node.children.iter().map(|c| c.section.id))
        .collect();
    let (posts, _) = state.catalog.latest(ed, Some(&ids), 0, 20);
    let posts = items(state, ed, &posts, false).await?;
    let top = qa.slug().to_owned();
    let l = base_layout(ed, qa, heading.clone(), path, &top);
    let w = words(channel);
    let ctx = context! {
        heading => heading, questions => qs, items => links, posts => posts, page => page, pages => pages,
        ask_href => ask_href, track_href => track_href, ask_label => i18n::text(lang, w.ask),
        list_heading => i18n::text(lang, w.list), ..layout(&state.config, tree, l)
    };
    html(state, "qa_list.html", 200, ctx, content::time::now()).map(Rendered::Page)
}

async fn detail(
    state: &AppState,
    ed: Lang,
    tree: &Tree,
    qa: &Node,
    id: i32,
) -> poem::Result<Option<Rendered>> {
    let lang = ed;
    let Some(q) = questions::published_one(&state.db, channel_of(qa), id)
        .await
        .map_err(err)?
    else {
        return Ok(None);
    };
    let unit = match q.answering_unit {
        Some(u) => content::units::get(&state.db, u)
            .await
            .ok()
            .map(|u| lang.pick(u.name_vi, u.name_en)),
        None => None,
    };
    let path = questions::published::public_path(lang, qa.slug(), id);
    let top = qa.slug().to_owned();
    let l = base_layout(ed, qa, q.title.clone(), path, &top);
    let ctx = detail_context(&q, unit, layout(&state.config, tree, l));
    html(state, "qa_detail.html", 200, ctx, content::time::now())
        .map(|p| Some(Rendered::Page(p.viewing(content::views::Viewed::Question, id))))
}

/// A published question and its answer; the asker is never named.
fn detail_context(q: &questions::Published, unit: Option<String>, layout: Value) -> Value {
    context! {
        title => q.title.clone(), question => q.question.clone(),
        answer_html => content::markdown::to_html(&q.answer),
        received => q.received_on.format("%d/%m/%Y").to_string(), received_iso => q.received_on.to_string(),
        published => q.published_on.format("%d/%m/%Y").to_string(), published_iso => q.published_on.to_string(),
        unit => unit, ..layout
    }
}

/// The ask form (and its outcome). Not cached: it carries a form token.
async fn ask_page(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    qa: &Node,
    form: Option<&Form>,
    outcome: Option<Result<(String, String), String>>,
) -> poem::Result<Rendered> {
    let lang = ed;
    let token = super::form_guard::token(req);
    let path = format!("/{lang}/{}/{}", qa.slug(), i18n::text(lang, "ask_slug"));
    let track_href = format!("/{lang}/{}/{}", qa.slug(), i18n::text(lang, "track_slug"));
    let field = |k: &str| form.and_then(|f| f.get(k)).unwrap_or_default().to_owned();
    let (done, error) = match outcome {
        Some(Ok((code, by))) => (Some(context! { code => code, by => by }), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let top = qa.slug().to_owned();
    let channel = channel_of(qa);
    let w = words(channel);
    let l = base_layout(ed, qa, i18n::text(lang, w.ask).to_owned(), path.clone(), &top);
    let ctx = context! {
        action => path, csrf => token, categories => categories(lang, channel), done => done, error => error, track_href => track_href,
        heading => i18n::text(lang, w.ask), subject_label => i18n::text(lang, w.subject),
        content_label => i18n::text(lang, w.content),
        form => context! { name => field("name"), email => field("email"), phone => field("phone"), address => field("address"),
                           category => field("category"), title => field("title"), content => field("content") },
        ..layout(&state.config, tree, l)
    };
    let status = if error.is_some() { 422 } else { 200 };
    html(state, "qa_ask.html", status, ctx, content::time::now()).map(Rendered::Private)
}

/// The tracking page. The code and the e-mail address come by form
/// `POST` (`posted`), so the address never sits in a URL, a log or a
/// browser's history; a `GET` shows the form, the code filled in from a
/// mail's link (`?code=`).
pub(crate) async fn track_page(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    qa: &Node,
    posted: Option<&crate::forms::Form>,
) -> poem::Result<Rendered> {
    let lang = ed;
    let typed = |k: &str| posted.and_then(|f| f.get(k)).map(|v| v.trim().to_owned());
    let code = typed("code")
        .or_else(|| crate::forms::query(req, "code"))
        .unwrap_or_default();
    let email = typed("email").unwrap_or_default();
    let mut found = None;
    let mut error = None;
    let mut status = 200;
    if !code.is_empty() && !email.is_empty() {
        match questions::track(&state.db, &code, &email).await.map_err(err)? {
            Some(mut q) => {
                let mut rating_error = None;
                if let Some(choice) = typed("rating") {
                    let comment = typed("rating_comment");
                    match questions::rating::rate(&state.db, &q, choice == "satisfied", comment.as_deref())
                        .await
                    {
                        Ok(rated) => q = rated,
                        Err(e @ (content::Error::Invalid { .. } | content::Error::Conflict(_))) => {
                            status = if matches!(e, content::Error::Conflict(_)) {
                                409
                            } else {
                                422
                            };
                            rating_error = Some(match &e {
                                content::Error::Conflict(_) => i18n::text(lang, "already_rated").to_owned(),
                                _ => e.message_in(lang),
                            });
                        }
                        Err(e) => return Err(err(e)),
                    }
                }
                let cal = content::holidays::calendar(&state.db).await.map_err(err)?;
                let (d, _) = questions::clocks_of(&cal, &q, content::time::today_vn());
                let answer = (q.sent_at.is_some() || q.published_at.is_some())
                    .then(|| q.answer.clone())
                    .flatten();
                let rated = q
                    .satisfied
                    .map(|yes| i18n::text(lang, if yes { "satisfied" } else { "unsatisfied" }));
                found = Some(context! {
                    may_rate => questions::rating::may_rate(&q), rated => rated,
                    rating_comment => q.rating_comment.clone(), rating_error => rating_error,
                    typed_comment => typed("rating_comment"),
                    title => q.title, status => i18n::text(lang, &format!("st_{}", q.status)),
                    received => format_vn(q.received_at), answer_by => d.answer_by.format("%d/%m/%Y").to_string(),
                    answer_html => answer.as_deref().map(content::markdown::to_html), answer => answer.is_some(),
                });
            }
            None => {
                let ip = crate::net::client_ip(req, &state.config.trusted_proxies);
                if ip.is_some_and(|ip| !state.track_limit.check(ip)) {
                    status = 429;
                }
                error = Some(i18n::text(lang, "not_tracked"));
                status = status.max(404);
            }
        }
    }
    let path = format!("/{lang}/{}/{}", qa.slug(), i18n::text(lang, "track_slug"));
    let top = qa.slug().to_owned();
    let l = base_layout(ed, qa, i18n::text(lang, "track").to_owned(), path.clone(), &top);
    let ctx = context! { action => path, code => code, email => email, found => found, error => error, ..layout(&state.config, tree, l) };
    html(state, "qa_track.html", status, ctx, content::time::now()).map(Rendered::Private)
}

/// The newest published answers a feed carries: every channel's in the
/// Vietnamese edition's feed, a channel's in its section's feed, a
/// category's in its item's. Answers are published in Vietnamese only.
pub(crate) async fn feed_entries(
    state: &AppState,
    ed: Lang,
    section: Option<i32>,
    tree: &Tree,
    limit: u64,
) -> poem::Result<Vec<crate::public::feeds::Entry>> {
    let mut out = Vec::new();
    if ed != Lang::Vi {
        return Ok(out);
    }
    let base = state.config.base_url.trim_end_matches('/');
    for channel in [Channel::Question, Channel::Petition] {
        let Some(qa) = tree.by_code(channel.section()) else {
            continue;
        };
        let category = match section {
            None => None,
            Some(id) if id == qa.section.id => None,
            Some(id) => match qa.children.iter().find(|c| c.section.id == id) {
                Some(item) => category_of(item),
                None => continue,
            },
        };
        let items = questions::published(&state.db, channel, category, limit)
            .await
            .map_err(err)?;
        for q in items {
            let at = content::time::start_of_day_vn(q.published_on);
            out.push(crate::public::feeds::Entry {
                url: format!(
                    "{base}{}",
                    questions::published::public_path(Lang::Vi, qa.slug(), q.id)
                ),
                summary: q.question.chars().take(300).collect(),
                title: q.title,
                published: at,
                updated: at,
                author: None,
            });
        }
    }
    Ok(out)
}

/// Published items per page of a Q&A list.
const PER_PAGE: u64 = 30;

/// The tracking page's address for a question's mails, the code filled
/// in (the e-mail address is typed by the asker, never put in a URL).
pub(crate) fn tracking_url(state: &AppState, q: &content::entity::question::Model) -> Option<String> {
    let ed: Lang = q.edition.parse().unwrap_or(Lang::Vi);
    let tree = Tree::load(state, ed);
    let code = match q.channel() {
        questions::Channel::Question => format!("{ed}-06"),
        questions::Channel::Petition => "vi-16".to_owned(),
    };
    let qa = tree.by_code(&code)?;
    Some(format!(
        "{}/{ed}/{}/{}?code={}",
        state.config.base_url.trim_end_matches('/'),
        qa.slug(),
        i18n::text(ed, "track_slug"),
        q.tracking_code
    ))
}

/// A mail to an asker with the tracking page's address at its end.
pub(crate) fn with_tracking_link(
    state: &AppState,
    q: &content::entity::question::Model,
    mut mail: questions::Mail,
) -> questions::Mail {
    if let Some(url) = tracking_url(state, q) {
        let label = if q.edition == "en" {
            "Follow it here"
        } else {
            "Tra cứu tại"
        };
        mail.body.push_str(&format!("\n{label}: {url}\n"));
    }
    mail
}

/// `POST` of the ask form.
pub(crate) async fn submit(
    state: &AppState,
    req: &Request,
    ed: Lang,
    tree: &Tree,
    qa: &Node,
    body: poem::Body,
) -> poem::Result<Rendered> {
    let lang = ed;
    let form = Form::read(body).await?;
    let fail = |msg: String| Some(Err(msg));
    let outcome = if !super::form_guard::token_matches(req, &form) {
        fail(lang.pick(
            "Biểu mẫu đã hết hạn, vui lòng gửi lại.".into(),
            "The form has expired; please send it again.".into(),
        ))
    } else if !super::form_guard::within_budget(state, req) {
        fail(lang.pick(
            "Quý vị đã gửi quá nhiều câu hỏi, vui lòng thử lại sau.".into(),
            "Too many questions from this address; please try again later.".into(),
        ))
    } else {
        let asked = Asked {
            name: form.get("name").unwrap_or_default().to_owned(),
            email: form.get("email").unwrap_or_default().to_owned(),
            phone: form.get("phone").map(str::to_owned),
            address: form.get("address").map(str::to_owned),
            category: form.get("category").unwrap_or_default().to_owned(),
            title: form.get("title").unwrap_or_default().to_owned(),
            content: form.get("content").unwrap_or_default().to_owned(),
            consent: form.get("consent") == Some("true"),
            channel: channel_of(qa),
            edition: ed,
        };
        let cal = content::holidays::calendar(&state.db).await.map_err(err)?;
        if questions::intake::is_honeypot_filled(form.get("website")) {
            match questions::intake::decoy(&cal, &asked) {
                Ok((code, by)) => Some(Ok((code, by.format("%d/%m/%Y").to_string()))),
                Err(e) => fail(e.to_string()),
            }
        } else {
            match questions::ask(&state.db, &cal, &asked, None).await {
                Ok((q, mail)) => {
                    let mail = with_tracking_link(state, &q, mail);
                    if let Err(e) = state.outbox.send(&mail) {
                        tracing::error!(error = %e, "cannot write mail to the outbox");
                    }
                    let (d, _) = questions::clocks_of(&cal, &q, content::time::today_vn());
                    Some(Ok((q.tracking_code, d.answer_by.format("%d/%m/%Y").to_string())))
                }
                Err(e) => fail(e.to_string()),
            }
        }
    };
    let keep_input = !matches!(outcome, Some(Ok(_)));
    ask_page(state, req, ed, tree, qa, keep_input.then_some(&form), outcome).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::public::layout::fixture;

    #[test]
    fn a_published_answer_as_readers_see_it() {
        let (config, tree) = (fixture::config(), fixture::tree());
        let qa = tree.by_code("vi-06").unwrap();
        let q = questions::Published {
            id: 41,
            category: "social_insurance".into(),
            title: "Cách tính lương hưu khi nghỉ sớm".into(),
            question: "Tôi 55 tuổi, đóng BHXH 25 năm, nghỉ hưu sớm thì lương hưu tính thế nào?".into(),
            answer: "Theo **Luật BHXH 2024**, mỗi năm nghỉ hưu trước tuổi giảm 2%.".into(),
            answering_unit: Some(3),
            received_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            published_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(),
        };
        let l = Layout {
            dc_date: fixture::at("2026-11-12T03:00:00Z"),
            ..base_layout(
                Lang::Vi,
                qa,
                q.title.clone(),
                "/vi/hoi-dap/cau-hoi/41".into(),
                "hoi-dap",
            )
        };
        let ctx = detail_context(
            &q,
            Some("Ban Thực hiện chính sách BHXH".into()),
            layout(&config, &tree, l),
        );
        let html = fixture::render("qa_detail.html", ctx);
        insta::assert_snapshot!(html);
    }
}
