def axes_username(request, credentials) -> str | None:
    """The identifier axes counts failures against: the e-mail typed in the login form."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or (request.POST.get("login") if request is not None else None)
    )
    return value.strip().lower() if isinstance(value, str) else value
