/** The run-events panel's script; it runs inside the webview, not the extension host. */
document.body.dataset.ready = "true";
