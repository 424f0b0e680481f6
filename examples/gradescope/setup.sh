#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# The autograder zip holds this file, run_autograder, rubric.toml and backcheck/ (a copy
# of the backcheck source tree, or a wheel named backcheck-*.whl). See README.md, "For instructors".
set -euo pipefail
apt-get install -y python3 python3-pip python3-venv
python3 -m venv /opt/backcheck
source=/autograder/source
package=$(ls "$source"/backcheck-*.whl 2>/dev/null | head -n 1 || true)
package=${package:-$source/backcheck}
# NumPy-only install: the finite-difference oracle needs no framework. For PyTorch as a
# second oracle add: /opt/backcheck/bin/pip install "torch==2.13.0" --index-url
# https://download.pytorch.org/whl/cpu   (and pass --oracles fd,torch in run_autograder).
/opt/backcheck/bin/pip install "${package}[html]"
# Grade the reference once: it proves the install (full marks, exit 0) and fills the
# cache of expected values, so no student waits for them.
/opt/backcheck/bin/backcheck grade reference --rubric "$source/rubric.toml" \
    --oracles fd --isolation none
