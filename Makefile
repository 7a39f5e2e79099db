# RPTDose — the two commands a newcomer needs.
#   make demo   install missing system packages (as root), build in release mode, run `rptdose demo`
#   make test   install what the tests need, run `swift test`, then the MPI and Slurm scripts
SHELL := /bin/bash
# Libraries the build links (HDF5, zlib, libpng, KISS FFT).
APT_PACKAGES := libhdf5-dev zlib1g-dev pkg-config libpng-dev libkissfft-dev
# Independent reference tools the tests use: Chromium (report rendering), dicom3tools (dciodvfy).
APT_TEST_PACKAGES := chromium dicom3tools
# Independent readers/writers used by the tests (HDF5, NIfTI, DICOM).
PIP_PACKAGES := h5py numpy nibabel pydicom pypdf
DEMO_OUT ?= demo-output

.PHONY: demo test deps test-deps build release bench clean

deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES)

test-deps: deps
	@bash scripts/install-deps.sh $(APT_TEST_PACKAGES)
	@bash scripts/install-python-deps.sh $(PIP_PACKAGES)

release: deps
	swift build -c release --product rptdose

demo: release
	RPTDOSE_GIT_COMMIT=$$(git rev-parse HEAD 2>/dev/null || echo unknown) .build/release/rptdose demo --out $(DEMO_OUT)

test: test-deps
	swift test 2>&1 | tee .test.log; exit $${PIPESTATUS[0]}
	bash scripts/test-mpi.sh
	bash scripts/test-slurm.sh

clean:
	rm -rf .build
