#!/usr/bin/env bash
# Update the Vietnamese catalogue of one part of the portal and compile it.
#   scripts/messages.sh core|sessions|oversight|voters|citizens|notifications|reports
# Source strings are English; fill the msgstr lines in <part>/locale/vi/LC_MESSAGES/django.po
# (core: hdnd_portal/core/locale/…), then run this again to compile the .mo (committed).
set -euo pipefail
cd "$(dirname "$0")/.."
part=$1
case $part in
  core) src=hdnd_portal/core; tpl=templates/core; extra="templates/base.html templates/registration templates/400.html templates/403.html templates/404.html templates/500.html" ;;
  notifications|reports) src=hdnd_portal/$part; tpl=templates/$part; extra="" ;;
  *) src=$part; tpl=templates/$part; extra="" ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$src/locale"
ln -s "$PWD/$src" "$work/src"
[ -d "$tpl" ] && ln -s "$PWD/$tpl" "$work/templates"
for e in $extra; do mkdir -p "$work/extra"; ln -s "$PWD/$e" "$work/extra/$(basename "$e")"; done
ln -s "$PWD/$src/locale" "$work/locale"
(cd "$work" && DJANGO_SETTINGS_MODULE=hdnd_portal.settings PYTHONPATH="$OLDPWD" "$OLDPWD/.venv/bin/django-admin" \
  makemessages -l vi --symlinks --no-obsolete --ignore 'src/migrations/*' --ignore 'src/locale/*' >/dev/null)
# --check-format: as Django's compilemessages (run by ./run on a fresh clone) checks them.
(cd "$src" && msgfmt --check-format -o locale/vi/LC_MESSAGES/django.mo locale/vi/LC_MESSAGES/django.po)
untranslated=$(msgattrib --untranslated "$src/locale/vi/LC_MESSAGES/django.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy "$src/locale/vi/LC_MESSAGES/django.po" | grep -c '^msgid ' || true)
# A fuzzy entry (a guess by makemessages) is not used at run time: it counts as untranslated.
echo "$src/locale/vi/LC_MESSAGES/django.po: $(( untranslated > 0 ? untranslated - 1 : 0 )) untranslated, $(( fuzzy > 0 ? fuzzy - 1 : 0 )) fuzzy"
