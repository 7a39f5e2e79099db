# RPTDose — the two commands a newcomer needs.
#   make demo   install missing system packages (as root), build in release mode, run `rptdose demo`
#   make test   install what the tests need, run `swift test`, the Python package's tests, then MPI and Slurm
# As a normal user, missing Debian packages are listed with the one `sudo apt-get install` line to run.
SHELL := /bin/bash
# Libraries the build links (HDF5, zlib, libpng, KISS FFT, SQLite, GDCM for DICOM).
APT_PACKAGES := libhdf5-dev zlib1g-dev pkg-config libpng-dev libkissfft-dev libsqlite3-dev libgdcm-dev
# What the tests use besides: Chromium (report rendering), dicom3tools (dciodvfy), GDCM tools (gdcmconv compresses DICOM test files), python3-venv (the tests'
# virtual environment), Open MPI (scripts/test-mpi.sh), Slurm (scripts/test-slurm.sh starts a one-node cluster).
APT_TEST_PACKAGES := chromium dicom3tools python3-venv libopenmpi-dev openmpi-bin slurm-wlm elastix libgdcm-tools
# The tests' Python: a virtual environment with the pinned packages of requirements-test.txt. Every test that
# runs Python uses it (env RPTDOSE_PYTHON; without make, the tests look for .venv/bin/python themselves).
VENV := .venv
export RPTDOSE_PYTHON := $(CURDIR)/$(VENV)/bin/python
DEMO_OUT ?= demo-output

.PHONY: demo trial-demo test deps test-deps python-package build release bench clean

deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES)

test-deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES) $(APT_TEST_PACKAGES)
	@$(MAKE) --no-print-directory $(VENV)/.requirements-installed

# Re-created when requirements-test.txt changes.
$(VENV)/.requirements-installed: requirements-test.txt
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -r requirements-test.txt
	@touch $@

# The Python entry point (python/), installed into the tests' environment as a user would (pip install ./python).
python-package: test-deps
	$(VENV)/bin/python -m pip install -q --no-deps --no-build-isolation --force-reinstall ./python

release: deps
	swift build -c release --product rptdose

demo: release
	.build/release/rptdose demo --out $(DEMO_OUT)

# A 30-patient synthetic trial and its cohort report (docs/methods/cohort.md).
trial-demo: release
	rm -rf $(DEMO_OUT)/trial
	.build/release/rptdose trial-sim --patients 30 --seed 1 --out $(DEMO_OUT)/trial
	.build/release/rptdose cohort $(DEMO_OUT)/trial --out $(DEMO_OUT)/trial/cohort

test: test-deps python-package
	python3 scripts/architecture.py --check
	swift test 2>&1 | tee .test.log; exit $${PIPESTATUS[0]}
	RPTDOSE=$(CURDIR)/.build/debug/rptdose $(VENV)/bin/python -m pytest -q python/tests
	bash scripts/test-mpi.sh
	# The report screenshots in docs/images must show the current release build's demo at the default decays
	# (results digest, docs/report.md). The check reuses the MPI test's release build (one release build fewer
	# in CI): the MPI trait only adds the mpirun path, so started without mpirun it is the plain release build.
	case "$${MPI_TEST_CONFIGS:-debug release}" in \
	  *release*) RPTDOSE=$(CURDIR)/.build-mpi/release/rptdose bash scripts/report-screenshots.sh --check ;; \
	  *) bash scripts/report-screenshots.sh --check ;; \
	esac
	bash scripts/test-slurm.sh

clean:
	rm -rf .build python/build
