"""Local accounts (本地账号): argon2id password hashes, sign-in, and the demo accounts.

Passwords are hashed with argon2-cffi's defaults (argon2id); a hash made under older parameters is
upgraded on the next successful sign-in. An unknown username costs the same time as a wrong
password, so sign-in does not reveal which accounts exist. Functions take the caller's `Session`
and never commit; every account change is an audit event (without the hash).
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from inspection.access import ROLES, Principal
from inspection.db import audit
from inspection.db.models import County, User
from inspection.errors import InspectionError

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("junheng-dummy-password")
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; a malformed stored hash counts as a mismatch."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def principal_of(session: Session, user: User) -> Principal:
    county = session.get(County, user.county_id) if user.county_id else None
    return Principal(username=user.username, role=user.role, county_id=user.county_id,  # type: ignore[arg-type]
                     county_name=county.name if county else None, display_name=user.display_name)


def load_principal(session: Session, *, username: str) -> Principal | None:
    """The active account `username` as a `Principal`, or None if it is missing or disabled."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        return None
    return principal_of(session, user)


def authenticate(session: Session, *, username: str, password: str) -> Principal | None:
    """Check a username and password; the principal on success, None otherwise."""
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)  # same cost as a real check
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return principal_of(session, user)


def _county_for(session: Session, role: str, county: str | None) -> County | None:
    if role not in ROLES:
        raise InspectionError(f"角色“{role}”无效，应为 committee、county 或 observer",
                              f"invalid role '{role}': use committee, county or observer", role=role)
    if role == "county" and not county:
        raise InspectionError("县市账号必须指定所属县市（--county）", "a county account needs --county")
    if role != "county" and county:
        raise InspectionError("只有县市账号可以绑定县市", "only county accounts are bound to a county")
    if not county:
        return None
    from inspection.db import repo
    return repo.get_county(session, name=county)


def create_user(session: Session, *, username: str, password: str, role: str, county: str | None = None,
                display_name: str = "", actor: str) -> User:
    """Add an account; raises `InspectionError` for a taken name, short password or bad role/county."""
    username = username.strip()
    if not username:
        raise InspectionError("用户名不能为空", "username is empty")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise InspectionError(f"用户名“{username}”已存在", f"username '{username}' already exists")
    if len(password) < MIN_PASSWORD:
        raise InspectionError(f"密码至少{MIN_PASSWORD}位", f"password must have at least {MIN_PASSWORD} characters")
    bound = _county_for(session, role, county)
    user = User(username=username, display_name=display_name, password_hash=hash_password(password),
                role=role, county_id=bound.id if bound else None)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.create", entity="user", entity_id=user.id,
                 after={"username": username, "role": role, "county": bound.name if bound else None})
    return user


def set_password(session: Session, *, username: str, password: str, actor: str) -> None:
    user = existing_user(session, username)
    if len(password) < MIN_PASSWORD:
        raise InspectionError(f"密码至少{MIN_PASSWORD}位", f"password must have at least {MIN_PASSWORD} characters")
    user.password_hash = hash_password(password)
    session.add(user)
    audit.record(session, actor=actor, action="user.password", entity="user", entity_id=user.id)


def set_active(session: Session, *, username: str, active: bool, actor: str) -> None:
    user = existing_user(session, username)
    before = {"active": user.active}
    user.active = active
    session.add(user)
    audit.record(session, actor=actor, action="user.active", entity="user", entity_id=user.id,
                 before=before, after={"active": active})


def existing_user(session: Session, username: str) -> User:
    """The account `username`; an `InspectionError` if there is none."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise InspectionError(f"没有用户“{username}”", f"no user '{username}'")
    return user


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    county: str | None
    display_name: str


DEMO_ACCOUNTS = (
    DemoAccount("weiyuan", "junheng-weiyuan", "committee", None, "地区督导室（演示）"),
    DemoAccount("zepu", "junheng-zepu", "county", "泽普县", "泽普县教育局（演示）"),
    DemoAccount("bachu", "junheng-bachu", "county", "巴楚县", "巴楚县教育局（演示）"),
    DemoAccount("guancha", "junheng-guancha", "observer", None, "人大代表（演示）"),
)


def ensure_demo_users(session: Session, *, actor: str = "demo") -> tuple[DemoAccount, ...]:
    """Create the demo accounts, or reset them to their demo passwords and roles; returns them."""
    for acc in DEMO_ACCOUNTS:
        user = session.exec(select(User).where(User.username == acc.username)).first()
        if user is None:
            create_user(session, username=acc.username, password=acc.password, role=acc.role,
                        county=acc.county, display_name=acc.display_name, actor=actor)
            continue
        bound = _county_for(session, acc.role, acc.county)
        user.role, user.county_id, user.active = acc.role, bound.id if bound else None, True
        user.display_name = acc.display_name
        if not verify_password(user.password_hash, acc.password):
            user.password_hash = hash_password(acc.password)
        session.add(user)
        audit.record(session, actor=actor, action="user.demo_reset", entity="user", entity_id=user.id,
                     after={"username": acc.username, "role": acc.role, "county": acc.county})
    return DEMO_ACCOUNTS
