//! Checks the portal's links to other portals (Đ3.5, Đ12) every week and
//! records each answer, so that administrators see the broken ones
//! (`GET /api/v1/link-checks`). A link is asked with `HEAD` (then `GET`
//! when a site refuses `HEAD`), following at most five redirects, within
//! ten seconds, four at a time.

use std::time::Duration;

use content::entries::link_checks;
use futures_util::StreamExt;

use crate::state::AppState;

/// What one run found.
pub struct Summary {
    pub checked: usize,
    pub broken: usize,
}

fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent("VSS-portal-link-check/1")
        .build()
        .map_err(|e| e.to_string())
}

async fn ask(client: &reqwest::Client, url: &str) -> Result<u16, String> {
    let head = client.head(url).send().await.map_err(|e| e.to_string())?;
    let status = head.status().as_u16();
    if status == 405 || status == 501 {
        let get = client.get(url).send().await.map_err(|e| e.to_string())?;
        return Ok(get.status().as_u16());
    }
    Ok(status)
}

/// Checks every live link now.
pub async fn run(state: &AppState) -> anyhow::Result<Summary> {
    let links = link_checks::to_check(&state.db).await?;
    let client = client().map_err(anyhow::Error::msg)?;
    let answers: Vec<(i32, String, Result<u16, String>)> = futures_util::stream::iter(links)
        .map(|(id, url)| {
            let client = client.clone();
            async move {
                let outcome = ask(&client, &url).await;
                (id, url, outcome)
            }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    let at = content::time::now();
    let mut broken = 0;
    for (id, url, outcome) in &answers {
        if link_checks::is_broken(outcome.as_ref().ok().map(|s| i32::from(*s))) {
            broken += 1;
            tracing::warn!(link = id, %url, outcome = ?outcome, "a link to another portal is broken");
        }
        link_checks::record(&state.db, *id, url, outcome.clone(), at).await?;
    }
    Ok(Summary {
        checked: answers.len(),
        broken,
    })
}

/// Runs the check when the last one is a week old (looked at hourly).
pub async fn weekly(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let due = match link_checks::last_run(&state.db).await {
            Ok(Some(last)) => content::time::now() - last >= link_checks::EVERY,
            Ok(None) => true,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the last link check");
                continue;
            }
        };
        if !due {
            continue;
        }
        match run(&state).await {
            Ok(s) => tracing::info!(checked = s.checked, broken = s.broken, "links checked"),
            Err(e) => tracing::warn!(error = %e, "the link check failed; trying again in an hour"),
        }
    }
}
