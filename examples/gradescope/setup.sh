#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# The autograder zip holds this file, run_autograder, rubric.toml and a wheel of
# backcheck (backcheck-*.whl; an older zip may hold backcheck/, a copy of its source
# tree, instead). See README.md, "8. Gradescope".
# backcheck is *installed* (not editable) and the wheel or source copy is then deleted:
# nothing of backcheck's source, and so nothing of its reference solution, stays in
# /autograder/source for a submission to find. (The sandbox hides that folder and the
# installed reference package as well.)
set -euo pipefail
apt-get install -y python3 python3-pip python3-venv
python3 -m venv /opt/backcheck
source=${AUTOGRADER:-/autograder}/source
package=$(ls "$source"/backcheck-*.whl 2>/dev/null | head -n 1 || true)
package=${package:-$source/backcheck}
# NumPy-only install: the finite-difference oracle needs no framework. For PyTorch as a
# second oracle add: /opt/backcheck/bin/pip install "torch==2.13.0" --index-url
# https://download.pytorch.org/whl/cpu   (and pass --oracles fd,torch in run_autograder).
/opt/backcheck/bin/pip install --no-cache-dir "${package}[html]"
rm -rf "$source"/backcheck-*.whl "$source/backcheck"
# Grade the reference once: it proves the install (full marks, exit 0) and fills the
# cache of expected values, so no student waits for them.
/opt/backcheck/bin/backcheck grade reference --rubric "$source/rubric.toml" \
    --oracles fd --isolation none
