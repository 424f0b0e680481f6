"""Where a memory cgroup per child can be made, on fake cgroup v2 hierarchies."""

from __future__ import annotations

import os

from harness.sandbox import cgroup

MOUNTINFO = ("25 1 0:22 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw\n"
             "26 1 0:23 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n")


def _group(path, controllers="", subtree=""):
    path.mkdir(parents=True, exist_ok=True)
    (path / "cgroup.controllers").write_text(controllers + "\n")
    (path / "cgroup.subtree_control").write_text(subtree + "\n")
    return str(path)


def test_the_v2_hierarchy_and_this_process_s_cgroup_are_read(tmp_path):
    (tmp_path / "mountinfo").write_text(MOUNTINFO)
    (tmp_path / "cgroup").write_text("4:memory:/x\n0::/system.slice/grader.service\n")
    mount = cgroup.hierarchy(str(tmp_path / "mountinfo"))
    assert mount == "/sys/fs/cgroup/unified"
    assert cgroup.own(mount, str(tmp_path / "cgroup")) == \
        "/sys/fs/cgroup/unified/system.slice/grader.service"


def test_the_root_cgroup_makes_children_itself_when_it_enables_memory(tmp_path):
    root = _group(tmp_path, "cpu memory", "memory")
    assert cgroup.parent(root, root) == root
    _group(tmp_path, "cpu memory", "")
    assert cgroup.parent(root, root) is None


def test_elsewhere_children_are_made_beside_this_cgroup_when_its_parent_delegates(tmp_path):
    root = _group(tmp_path, "memory", "memory")
    service = _group(tmp_path / "system.slice", "memory", "memory")
    mine = _group(tmp_path / "system.slice" / "grader.service", "memory", "")
    assert cgroup.parent(root, mine) == service
    _group(tmp_path / "system.slice" / "grader.service", "cpu", "")
    assert cgroup.parent(root, mine) is None  # a container's root cgroup: no way in


def test_a_child_cgroup_is_capped_and_removed(tmp_path):
    path, why = cgroup.create(512, base=str(tmp_path))
    assert why == "" and path.startswith(str(tmp_path))
    with open(os.path.join(path, "memory.max")) as limit:
        assert limit.read() == str(512 * 2**20)
    for name in os.listdir(path):
        os.unlink(os.path.join(path, name))  # a real cgroup has no files to remove
    cgroup.release(path)
    assert not os.path.exists(path)


def test_without_a_place_for_it_the_reason_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr(cgroup, "hierarchy", lambda: None)
    path, why = cgroup.create(512)
    assert path is None and "real memory not capped" in why
