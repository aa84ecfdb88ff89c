"""The demo data of ``manage.py load_demo``, at the top of the layers: it writes through
every domain app (mostly their services) and no domain app imports it.

- ``organisations``: the demo organisations, their staff, the platform administrator,
  the demo password and the printed logins;
- ``teams``: seed 000's territories and PAT trinômes;
- ``programmes``: seed 000's programme (phases, collective and individual sessions);
- ``seminar``: seed 001's one-day seminar and its workshops;
- ``coaching``: seed 000's date polls and the attendance of two sessions;
- ``engagement``: seed 000's engagement text and signatures;
- ``calls``: seed 000's call for applications and its applications;
- ``evaluation``: seed 000's questionnaires, campaigns and answers;
- ``loader``: all of it in order, for the command.
"""
