"""The Streamlit front end: `state` (sign-in, language, error handling), `jobs` (long work off the
script thread), `labels` (words for codes) and one file per page under `pages/`. Pages call only
`inspection.webapi`."""
