"""Where attendance shows outside its own pages (being written)."""


def attendance_tab(request, organisation, programme):
    return []


def attendance_team_section(request, organisation, team):
    return None
