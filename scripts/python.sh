# Sourced by the test scripts: sets $PYTHON to the tests' Python interpreter — env RPTDOSE_PYTHON (the Makefile
# sets it to the project's virtual environment), else <project>/.venv/bin/python when it exists, else python3.
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -n "${RPTDOSE_PYTHON:-}" ]; then PYTHON=$RPTDOSE_PYTHON
elif [ -x "$_root/.venv/bin/python" ]; then PYTHON=$_root/.venv/bin/python
else PYTHON=python3
fi
unset _root
