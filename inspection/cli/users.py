"""Account commands: `inspection user add|list|passwd|disable|enable` and `inspection demo-users`."""

from __future__ import annotations

from typing import Optional

import typer

from inspection.cli.common import app, fail
from inspection.errors import InspectionError

user_app = typer.Typer(help="账号管理 local accounts", no_args_is_help=True)
app.add_typer(user_app, name="user")

ROLE_HELP = "角色：committee（督导委员会）、county（县市教育局）、observer（观察员）"


def _password_prompt() -> str:
    return typer.prompt("密码 password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def add(username: str = typer.Argument(..., help="登录名"),
        role: str = typer.Option(..., "--role", help=ROLE_HELP),
        county: Optional[str] = typer.Option(None, "--county", help="县市账号所属县市，如 泽普县"),
        display_name: str = typer.Option("", "--name", help="显示名称"),
        password: Optional[str] = typer.Option(None, "--password", help="不填则交互输入")) -> None:
    """新增账号（密码以 argon2 哈希保存）。Add a local account."""
    from inspection.auth import create_user
    from inspection.db import init_database, session_scope
    secret = password or _password_prompt()
    try:
        init_database()
        with session_scope() as session:
            create_user(session, username=username, password=secret, role=role, county=county,
                        display_name=display_name, actor="cli")
    except InspectionError as exc:
        fail(exc)
    typer.echo(f"已创建账号 {username}（{role}{'，' + county if county else ''}）")


@user_app.command("list")
def list_users() -> None:
    """列出账号。List accounts."""
    from sqlmodel import select

    from inspection.db import init_database, session_scope
    from inspection.db.models import County, User
    init_database()
    with session_scope() as session:
        names = {c.id: c.name for c in session.exec(select(County))}
        typer.echo("账号\t角色\t县市\t状态\t名称")
        for u in session.exec(select(User).order_by(User.username)):
            typer.echo(f"{u.username}\t{u.role}\t{names.get(u.county_id, '—')}\t"
                       f"{'启用' if u.active else '停用'}\t{u.display_name}")


@user_app.command("passwd")
def passwd(username: str, password: Optional[str] = typer.Option(None, "--password")) -> None:
    """重设密码。Reset a password."""
    from inspection.auth import set_password
    from inspection.db import init_database, session_scope
    secret = password or _password_prompt()
    try:
        init_database()
        with session_scope() as session:
            set_password(session, username=username, password=secret, actor="cli")
    except InspectionError as exc:
        fail(exc)
    typer.echo(f"已重设 {username} 的密码")


def _set_active(username: str, active: bool) -> None:
    from inspection.auth import set_active
    from inspection.db import init_database, session_scope
    try:
        init_database()
        with session_scope() as session:
            set_active(session, username=username, active=active, actor="cli")
    except InspectionError as exc:
        fail(exc)
    typer.echo(f"已{'启用' if active else '停用'}账号 {username}")


@user_app.command("disable")
def disable(username: str) -> None:
    """停用账号（立即失去所有权限）。Disable an account."""
    _set_active(username, False)


@user_app.command("enable")
def enable(username: str) -> None:
    """启用账号。Enable an account."""
    _set_active(username, True)


@app.command("demo-users")
def demo_users() -> None:
    """创建或重置演示账号并打印登录信息。Create the demo accounts and print them."""
    from inspection.auth import ensure_demo_users
    from inspection.db import init_database, session_scope
    try:
        init_database()
        with session_scope() as session:
            accounts = ensure_demo_users(session)
    except InspectionError as exc:
        fail(exc)
    typer.echo("演示账号（仅供演示，请勿用于生产）demo accounts:")
    typer.echo("账号\t\t密码\t\t\t角色\t\t县市")
    for a in accounts:
        typer.echo(f"{a.username:<10}\t{a.password:<18}\t{a.role:<10}\t{a.county or '全地区'}")
