//! What a person does in the browser, as steps the tests share.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use fantoccini::Locator;

use crate::{App, Browser, PASSWORD};

/// How long a page may take to show what a step waits for (a loaded 2-core machine).
const PATIENCE: Duration = Duration::from_secs(30);

impl Browser {
    /// Opens the login page of `app` and signs in as `user` with the demo password; returns when
    /// the dashboard shows.
    ///
    /// # Errors
    /// When the login form or the dashboard does not appear.
    pub async fn sign_in(&self, app: &App, user: &str) -> anyhow::Result<()> {
        self.sign_in_until(app, user, "open-h").await
    }

    /// Signs `user` in (the demo password) and waits for the element with id `landmark` of the
    /// page the login leads to (`agencies-h` for an office's dashboard).
    ///
    /// # Errors
    /// When the login form or the landmark does not appear.
    pub async fn sign_in_until(&self, app: &App, user: &str, landmark: &str) -> anyhow::Result<()> {
        self.client.goto(&app.url("/login")).await?;
        let form = self.client.form(Locator::Css("form[action='/login']")).await?;
        form.set_by_name("username", user).await?;
        form.set_by_name("password", PASSWORD).await?;
        form.submit().await?;
        self.client.wait().at_most(PATIENCE).for_element(Locator::Id(landmark)).await?;
        Ok(())
    }

    /// Sets the field `name` of the form `form` (a CSS selector) to `value`, through the DOM as a
    /// person's typing would (date and select inputs included).
    ///
    /// # Errors
    /// When the form or the field is missing.
    pub async fn fill(&self, form: &str, name: &str, value: &str) -> anyhow::Result<()> {
        let f =
            self.client.form(Locator::Css(form)).await.with_context(|| format!("form {form}"))?;
        f.set_by_name(name, value).await.with_context(|| format!("field {name} of {form}"))?;
        Ok(())
    }

    /// Clicks the element `css`.
    ///
    /// # Errors
    /// When it is missing or cannot be clicked.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let e =
            self.client.find(Locator::Css(css)).await.with_context(|| format!("finding {css}"))?;
        e.click().await.with_context(|| format!("clicking {css}"))?;
        Ok(())
    }

    /// Follows a link or submits a form by clicking `css`, and returns once the browser has left
    /// this page and loaded the next one. A step that reads the next page right after a plain
    /// [`click`](Self::click) may still see this one (or lose it under its hands: a stale element).
    ///
    /// # Errors
    /// When `css` is missing, or the page is not replaced within the patience of a step.
    pub async fn follow(&self, css: &str) -> anyhow::Result<()> {
        let old = self.client.find(Locator::Css("html")).await?;
        self.click(css).await?;
        let start = Instant::now();
        loop {
            match old.tag_name().await {
                Err(e) if e.is_stale_element_reference() || left_document(&e) => break,
                Err(e) => return Err(e).with_context(|| format!("following {css}")),
                Ok(_) => {}
            }
            if start.elapsed() > PATIENCE {
                bail!("clicking {css} did not lead to another page");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        loop {
            let state = self.client.execute("return document.readyState", vec![]).await?;
            if state.as_str() == Some("complete") {
                return Ok(());
            }
            if start.elapsed() > PATIENCE {
                bail!("the page {css} leads to never finished loading");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the element `css`, or `None` when the page has no such element.
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn text(&self, css: &str) -> anyhow::Result<Option<String>> {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => Ok(Some(e.text().await?)),
            Err(e) if e.is_no_such_element() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits until the text of `css` satisfies `ok` (the page may still be loading); returns it.
    ///
    /// # Errors
    /// When it does not within the patience of a step; the error shows the last text seen.
    pub async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> anyhow::Result<String> {
        let start = Instant::now();
        let mut last = None;
        loop {
            match self.text(css).await {
                Ok(Some(t)) if ok(&t) => return Ok(t),
                Ok(t) => last = t,
                // The page is being replaced under the driver: look again.
                Err(_) => {}
            }
            if start.elapsed() > PATIENCE {
                bail!("{css} never showed what was expected; last seen: {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The `href` of the element `css`, made absolute against `app`.
    ///
    /// # Errors
    /// When the element or its `href` is missing.
    pub async fn href(&self, app: &App, css: &str) -> anyhow::Result<String> {
        let e =
            self.client.find(Locator::Css(css)).await.with_context(|| format!("finding {css}"))?;
        let href = e.attr("href").await?.with_context(|| format!("{css} has no href"))?;
        Ok(if href.starts_with('/') { app.url(&href) } else { href })
    }
}

/// Whether the driver says an element left its document the way Chromium sometimes reports it
/// while the next page replaces it: an "unknown error" from the inspector ("Node with given id
/// does not belong to the document") rather than a stale element reference.
fn left_document(e: &fantoccini::error::CmdError) -> bool {
    e.to_string().contains("does not belong to the document")
}
