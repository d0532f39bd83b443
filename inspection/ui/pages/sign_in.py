"""登录 (signed-out users)."""

from inspection.ui.signin import render_sign_in

render_sign_in()
