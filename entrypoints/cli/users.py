"""``assistant users``: create and administer accounts."""

from __future__ import annotations

import typer

from domain.users import Role, Tier, UserStatus
from entrypoints.cli.errors import reports_errors
from entrypoints.cli.help import Command, Group
from entrypoints.cli.output import JSON_OPTION, emit_json, table, user_dict
from entrypoints.cli.state import acting_user, container

app = typer.Typer(help="Create and administer user accounts.", cls=Group, no_args_is_help=True)
EMAIL = typer.Argument(..., metavar="EMAIL", show_default=False, help="The user's email address.")


@app.command(cls=Command)
@reports_errors
def create(
    email: str = EMAIL,
    password: str | None = typer.Option(None, metavar="PASSWORD",
                                        help="Password for API login (at least 8 characters)."),
    tier: Tier = typer.Option(Tier.FREE, help="Tier of the new user."),
    admin: bool = typer.Option(False, "--admin", help="Make the user an administrator."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Create a user."""
    from application.use_cases.register_user import RegisterUserCommand

    user = container().register_user()(RegisterUserCommand(
        email=email, password=password, tier=tier, role=Role.ADMIN if admin else Role.USER))
    emit_json(user_dict(user)) if json_out else typer.echo(f"created {user.email} ({user.id}), tier {user.tier}")


@app.command("list", cls=Command)
@reports_errors
def list_users(limit: int = typer.Option(100, min=1, max=1000), json_out: bool = JSON_OPTION) -> None:
    """List users."""
    users = container().list_users()(acting_user(None).id, limit=limit)
    if json_out:
        emit_json([user_dict(u) for u in users])
        return
    table("Users", ["id", "email", "telegram", "role", "tier", "status"],
          [[u.id, u.email, u.telegram_id, u.role, u.tier, u.status] for u in users])


@app.command("set-tier", cls=Command)
@reports_errors
def set_tier(email: str = EMAIL,
             tier: Tier = typer.Argument(..., metavar="TIER", show_default=False,
                                        help="free, premium or enterprise."),
             json_out: bool = JSON_OPTION) -> None:
    """Move a user to another tier."""
    operator = acting_user(None)
    user = container().set_tier()(operator.id, acting_user(email).id, tier)
    emit_json(user_dict(user)) if json_out else typer.echo(f"{user.email}: tier {user.tier}")


def _set_status(email: str, status: UserStatus, json_out: bool) -> None:
    operator = acting_user(None)
    user = container().set_status()(operator.id, acting_user(email).id, status)
    emit_json(user_dict(user)) if json_out else typer.echo(f"{user.email}: {user.status}")


@app.command(cls=Command)
@reports_errors
def ban(email: str = EMAIL, json_out: bool = JSON_OPTION) -> None:
    """Ban a user: every action of theirs is refused."""
    _set_status(email, UserStatus.BANNED, json_out)


@app.command(cls=Command)
@reports_errors
def unban(email: str = EMAIL, json_out: bool = JSON_OPTION) -> None:
    """Lift a ban."""
    _set_status(email, UserStatus.ACTIVE, json_out)
