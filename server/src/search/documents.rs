//! What the search index holds, read from the database: live posts and
//! published questions, turned into [`Document`]s. Only public data goes in:
//! a question contributes its title, text and answer, never the asker.

use std::collections::HashMap;

use content::entity::{post, question, revision, section};
use content::entries::Kind;
use content::entries::fields::{self, FieldType};
use content::lang::Lang;
use content::media::Store;
use content::questions::{CATEGORIES, Channel};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use search_index::Document;

/// Top-level sections whose posts are legal documents (Vietnamese 3
/// "Hệ thống văn bản", English 5 "Legal Documents").
const LEGAL_SECTIONS: [&str; 2] = ["vi-03", "en-05"];
/// The section tree, to give each document its section path and URL.
pub struct Sections(HashMap<i32, section::Model>);

impl Sections {
    pub async fn load(db: &DatabaseConnection) -> content::Result<Self> {
        let all = section::Entity::find().all(db).await?;
        Ok(Sections(all.into_iter().map(|s| (s.id, s)).collect()))
    }

    /// Codes from the top-level section down to `id`.
    fn path(&self, id: i32) -> Vec<String> {
        let mut path = Vec::new();
        let mut next = Some(id);
        while let Some(s) = next.and_then(|id| self.0.get(&id)) {
            if path.len() > 16 {
                break;
            }
            path.push(s.code.clone());
            next = s.parent_id;
        }
        path.reverse();
        path
    }

    fn slug(&self, id: i32) -> &str {
        self.0.get(&id).map_or("", |s| s.own_slug())
    }

    /// The top section of section `id`.
    fn top(&self, id: i32) -> Option<&section::Model> {
        let s = self.0.get(&id)?;
        match s.parent_id {
            Some(p) => self.0.get(&p),
            None => Some(s),
        }
    }

    fn by_code(&self, code: &str) -> Option<&section::Model> {
        self.0.values().find(|s| s.code == code)
    }
}

/// The index id of a post.
pub fn post_id(id: i32) -> String {
    format!("post:{id}")
}

/// The index id of a question.
pub fn question_id(id: i32) -> String {
    format!("qa:{id}")
}

/// Documents of the given posts that are live; the others are not public.
pub async fn posts(
    db: &DatabaseConnection,
    sections: &Sections,
    store: &Store,
    posts: Vec<post::Model>,
) -> content::Result<Vec<Document>> {
    let live: Vec<i32> = posts.iter().filter_map(|p| p.live_revision_id).collect();
    let mut revisions: HashMap<i32, revision::Model> = HashMap::new();
    for chunk in live.chunks(500) {
        let rows = revision::Entity::find()
            .filter(revision::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        revisions.extend(rows.into_iter().map(|r| (r.id, r)));
    }
    let mut docs = Vec::new();
    for p in posts {
        let Some(rev) = p.live_revision_id.and_then(|id| revisions.remove(&id)) else {
            continue;
        };
        let attached: Vec<i32> = serde_json::from_str(&rev.attachments).unwrap_or_default();
        let files = super::attachments::texts(db, store, &attached).await?;
        let mut doc = post_document(sections, p, rev);
        doc.body = super::attachments::with_files(doc.body, files);
        docs.push(doc);
    }
    Ok(docs)
}

fn post_document(sections: &Sections, p: post::Model, rev: revision::Model) -> Document {
    let section_path = sections.path(p.section_id);
    let legal = section_path
        .first()
        .is_some_and(|top| LEGAL_SECTIONS.contains(&top.as_str()));
    Document {
        id: post_id(p.id),
        kind: if legal { "legal_document" } else { "article" }.to_owned(),
        url: format!("/{}/{}/{}", p.edition, sections.slug(p.section_id), p.slug),
        edition: p.edition,
        section_path,
        title: rev.title,
        summary: rev.summary,
        body: content::markdown::to_plain_text(&rev.body),
        tags: serde_json::from_str(&rev.tags).unwrap_or_default(),
        published_at: p.published_at.unwrap_or(p.created_at),
    }
}

/// Documents of the given questions and petitions that are published,
/// with no personal data: the sender's name, e-mail, phone and address
/// never leave the row.
pub fn questions(sections: &Sections, questions: Vec<question::Model>) -> Vec<Document> {
    questions
        .into_iter()
        .filter_map(|q| {
            if q.state() != content::questions::QuestionState::Published {
                return None;
            }
            let published_at = q.published_at?;
            let channel = q.channel();
            let home = channel.section();
            let slug = sections
                .by_code(home)
                .map(|s| s.slug_vi.clone())
                .unwrap_or_default();
            let mut section_path = vec![home.to_owned()];
            if channel == Channel::Question
                && let Some(i) = CATEGORIES.iter().position(|c| *c == q.category)
            {
                section_path.push(format!("{home}-{:02}", i + 1));
            }
            Some(Document {
                id: question_id(q.id),
                kind: match channel {
                    Channel::Question => "qa",
                    Channel::Petition => "petition",
                }
                .to_owned(),
                edition: "vi".to_owned(),
                section_path,
                url: content::questions::published::public_path(Lang::Vi, &slug, q.id),
                title: q.public_title.unwrap_or(q.title),
                summary: q.public_content.unwrap_or(q.content),
                body: content::markdown::to_plain_text(q.answer.as_deref().unwrap_or_default()),
                tags: Vec::new(),
                published_at,
            })
        })
        .collect()
}

/// The index id of an entry.
pub fn entry_id(kind: &Kind, id: i32) -> String {
    format!("{}:{id}", kind.name)
}

/// Common abbreviations people type for what titles spell out
/// (`cấp lại sổ BHXH`), indexed as tags of the documents that spell them.
const ABBREVIATIONS: [(&str, &str); 6] = [
    ("bảo hiểm xã hội", "BHXH"),
    ("bảo hiểm y tế", "BHYT"),
    ("bảo hiểm thất nghiệp", "BHTN"),
    ("tai nạn lao động", "TNLĐ"),
    ("bệnh nghề nghiệp", "BNN"),
    ("dịch vụ công", "DVC"),
];

fn abbreviations(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    ABBREVIATIONS
        .iter()
        .filter(|(long, _)| lower.contains(long))
        .map(|(_, short)| (*short).to_owned())
        .collect()
}

/// Documents of the live entries of `kind` with ids in `ids` (all when
/// `None`): the title, the key as a tag (codes are found exactly), the
/// text of every field, and the abbreviations of what the title spells.
pub async fn entries(
    db: &DatabaseConnection,
    sections: &Sections,
    store: &Store,
    kind: &'static Kind,
    ids: Option<&[i32]>,
) -> content::Result<Vec<Document>> {
    let rows = content::entries::live_all(db, kind, ids).await?;
    let mut files = HashMap::new();
    for (e, data) in &rows {
        let ids: Vec<i32> = fields::files(kind.fields, data).into_iter().collect();
        let found = super::attachments::texts(db, store, &ids).await?;
        if !found.is_empty() {
            files.insert(e.id, found);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|(e, data)| {
            let section = e.live_section_id.unwrap_or(e.section_id);
            let top = sections.top(section)?;
            let title = fields::text(&data, kind.title).to_owned();
            let mut tags = vec![e.key.clone()];
            tags.extend(abbreviations(&title));
            let mut summary = Vec::new();
            let mut body = Vec::new();
            for f in kind.fields.iter().filter(|f| f.name != kind.title) {
                let shown = match f.ty {
                    FieldType::Markdown { .. } => {
                        content::markdown::to_plain_text(fields::text(&data, f.name))
                    }
                    FieldType::Choice(_) => f
                        .choice(fields::text(&data, f.name))
                        .map(|c| c.vi.to_owned())
                        .unwrap_or_default(),
                    FieldType::Files | FieldType::Url | FieldType::Section | FieldType::Unit => String::new(),
                    _ => fields::shown(data.get(f.name)),
                };
                if shown.is_empty() {
                    continue;
                }
                if f.filter || f.ty == FieldType::Number {
                    summary.push(shown);
                } else {
                    body.push(shown);
                }
            }
            Some(Document {
                id: entry_id(kind, e.id),
                kind: kind.name.to_owned(),
                url: content::entries::path_under(top, &e.slug),
                edition: top.edition.clone(),
                section_path: sections.path(section),
                title,
                summary: summary.join(" · "),
                body: super::attachments::with_files(
                    body.join("\n\n"),
                    files.remove(&e.id).unwrap_or_default(),
                ),
                tags,
                published_at: e.published_at.unwrap_or(e.created_at),
            })
        })
        .collect())
}

/// One page of every public document, by entity and ascending id, for a
/// full rebuild: live posts first, then published questions, then the
/// live entries of each kind.
#[derive(Default)]
pub struct All {
    after_post: i32,
    after_question: i32,
    entries_done: bool,
}

impl All {
    /// The next page, `None` at the end.
    pub async fn next(
        &mut self,
        db: &DatabaseConnection,
        sections: &Sections,
        store: &Store,
        page: u64,
    ) -> content::Result<Option<Vec<Document>>> {
        if self.after_post >= 0 {
            let rows = post::Entity::find()
                .filter(post::Column::LiveRevisionId.is_not_null())
                .filter(post::Column::Id.gt(self.after_post))
                .order_by_asc(post::Column::Id)
                .limit(page)
                .all(db)
                .await?;
            match rows.last() {
                Some(last) => {
                    self.after_post = last.id;
                    return posts(db, sections, store, rows).await.map(Some);
                }
                None => self.after_post = -1,
            }
        }
        if self.after_question >= 0 {
            let rows = question::Entity::find()
                .filter(question::Column::Status.eq(content::questions::QuestionState::Published.as_str()))
                .filter(question::Column::Id.gt(self.after_question))
                .order_by_asc(question::Column::Id)
                .limit(page)
                .all(db)
                .await?;
            match rows.last() {
                Some(last) => {
                    self.after_question = last.id;
                    return Ok(Some(questions(sections, rows)));
                }
                None => self.after_question = -1,
            }
        }
        if self.entries_done {
            return Ok(None);
        }
        self.entries_done = true;
        let mut docs = Vec::new();
        for kind in content::entries::kinds::ALL {
            docs.extend(entries(db, sections, store, kind, None).await?);
        }
        Ok(Some(docs))
    }
}
