#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need, builds, tests,
# and ends with a plain "N passed, N failed" line (CI reads that line).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need beyond the .NET SDK. Each is installed only when missing.
need_apt=()
# The SMTP sink the mail tests start on loopback (Workflows.Tests/Support/SmtpSink.cs).
dpkg -s python3-aiosmtpd >/dev/null 2>&1 || need_apt+=(python3-aiosmtpd)
# The PostgreSQL server the tests start privately, once per run (Workflows.Tests/Support/PostgresServer.cs).
dpkg -s postgresql >/dev/null 2>&1 || need_apt+=(postgresql)
# The IMAP server the answer-inbox tests start privately (Workflows.Tests/Support/ImapServer.cs).
dpkg -s dovecot-imapd >/dev/null 2>&1 || need_apt+=(dovecot-imapd)
# The mail server the bounce tests run privately (Workflows.Tests/Support/BouncingMailRoute.cs): installed with no
# configuration of its own, so no system-wide Postfix starts.
dpkg -s postfix >/dev/null 2>&1 || need_apt+=(postfix)
# The browser the answer-page tests drive through Playwright (Workflows.Tests/Support/BrowserFixture.cs).
dpkg -s chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# Playwright drives that Debian Chromium; it must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

dotnet tool restore >/dev/null

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test ProcesFlow.sln --nologo --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# Every database test class runs twice, as …OnSqlite and …OnPostgreSql (Workflows.Tests/Support/TestDatabase.cs).
on_provider() { cat "$results"/*.trx 2>/dev/null | grep -o "<UnitTestResult [^>]*testName=\"[^\"]*On$1\.[^>]*>" | grep -c "outcome=\"$2\"" || true; }
echo "Database tests on SQLite: $(on_provider Sqlite Passed) passed, $(on_provider Sqlite Failed) failed; on PostgreSQL: $(on_provider PostgreSql Passed) passed, $(on_provider PostgreSql Failed) failed"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed before any test could report.
  failed=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
