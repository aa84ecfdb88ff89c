"""Where date polls show outside their own pages (being written)."""


def poll_tab(request, organisation, programme):
    return []


def poll_home_section(request, organisation):
    return None


def poll_session_section(request, organisation, session):
    return None
