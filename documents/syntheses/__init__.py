"""Syntheses of a programme: the figures a coordinator owes the funders, computed once
and shown on the live dashboard (and, later, printed in the PDF syntheses).

- ``scope``: what a synthesis covers — a programme, a period (the whole programme, a
  phase, or dates) and a set of teams (all by default), in the organisation's time zone,
  and how much the reader may see (``Scope.team_levels``, ``Scope.aggregate_only``).
- ``figures``: one function per section, each taking a ``Scope`` and no request,
  reading the apps below through their own reads and returning plain dataclasses (the
  numbers, the series of the charts, the data tables, the sentence saying a section is
  empty): (a) the calendar held against the calendar planned, (b) attendance per
  session, team and role (``presences.stats``); ``wellbeing``: (c) satisfaction per
  session and per moment (``evaluation.results``), (d) the cohort's progression T0 → T1
  → T2 (``evaluation.progression``); ``followup``: (e) action plans by status
  (``plans.overview``), (f) CODEV groups, cases and commitments. ``programme_synthesis``
  gathers them.
- ``tables``: the data tables (one ``Table`` for the page, the PDF and the CSV/XLSX
  export); ``charts``: the SVG charts drawn from the figures (``sillon.charts`` and
  ``rate_chart``).
- ``forms`` and ``views``: the dashboard ``programmes/<id>/synthese/`` (filter by period
  and teams, GET) and the export of each table, for coordinators, trainers and
  observers.

- The PDFs, built in the background by the documents pipeline (``builders``
  contributes them to ``documents.extensions.document_builders``): ``programme_pdf``
  (PROGRAMME_SYNTHESIS, with the coordinator's foreword), ``team_report`` (TEAM_REPORT,
  and TEAM_REPORTS: a ZIP written one PDF after another), ``bilan`` (TRAINING_BILAN, per
  module); ``pdf`` holds what they share (the scope a ``Document`` asks for, read with
  its requester's rights; the named steps of the progress bar; the rendering), the
  templates are under ``templates/documents/syntheses/pdf/``. ``services`` writes a
  request (asking again supersedes the running build) and says who may ask for which;
  ``request_views`` is « Générer le PDF » and a team's « Rapport de parcours (PDF) ».

Each figure runs a fixed number of queries whatever the number of teams.
"""
