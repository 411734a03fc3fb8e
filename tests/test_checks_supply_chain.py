"""The supply-chain checks: frontend_resource_external and custom_integration_risk.

On facts, then end to end in a real `hass` with the real `http`, `frontend` and `lovelace`
integrations (resources created through the lovelace resource collection's API), a
`custom_components` tree and HACS' storage files in the configuration directory: the report,
the family's problem sensor, the count sensor, the repairs and their accept-the-risk flow
through `/api/repairs/issues/fix`.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.security_posture.checks.supply_chain import (
    custom_integration_risk,
    frontend_resource_external,
)
from custom_components.security_posture.const import REFRESH_COOLDOWN
from custom_components.security_posture.engine import Facts, Metric
from custom_components.security_posture.inspect.custom_integrations import (
    CUSTOM_INTEGRATIONS,
    CustomIntegration,
    CustomIntegrations,
)
from custom_components.security_posture.inspect.frontend_code import (
    FRONTEND_CODE,
    ForeignUrl,
    FrontendCode,
)
from custom_components.security_posture.inspect.frontend_yaml import Source
from custom_components.security_posture.inspect.hacs_store import (
    HACS,
    MARKETPLACE,
    HacsFacts,
    HacsRepository,
)
from custom_components.security_posture.inspect.remote_urls import RemoteUrl
from custom_components.security_posture.model import Hit, Severity

from .fix_helpers import FlowClient, issues
from .helpers import async_scan, async_setup_integration, findings_of, status_of
from .supply_helpers import (
    async_create_resources,
    async_setup_frontend,
    hacs_entry,
    write_integration,
    write_storage,
)

NOW = datetime(2026, 11, 20, tzinfo=UTC)
CANARY = "CANARY-supply-chain-pw-4d0e"


# --- frontend_resource_external on facts ---------------------------------------------------


def frontend_facts(*foreign: ForeignUrl) -> Facts:
    code = FrontendCode(
        foreign=foreign,
        resource_mode="storage",
        resources=4,
        extras=2,
        own_hosts=frozenset(),
    )
    return Facts({FRONTEND_CODE: code}, now=NOW)


def remote(host: str, path: str = "/x.js") -> RemoteUrl:
    return RemoteUrl(host=host, shown=f"https://{host}{path}", scheme="https")


def test_one_finding_per_url_where_the_owner_changes_it() -> None:
    facts = frontend_facts(
        ForeignUrl(
            source=Source.EXTRA_MODULE_URL,
            remote=remote("cdn.example.com"),
            file="configuration.yaml",
            line=4,
            key="frontend.extra_module_url[1]",
        ),
        ForeignUrl(
            source=Source.RESOURCE,
            remote=remote("unpkg.com", "/card.js"),
            file=".storage/lovelace_resources",
            resource_type="module",
        ),
        ForeignUrl(
            source=Source.RESOURCE,
            remote=remote("cdn.example.com"),  # the same URL again: one finding
            file=".storage/lovelace_resources",
        ),
        ForeignUrl(
            source=Source.EXTRA_JS_URL_ES5,
            remote=remote("es5.example.com"),
            runtime_only=True,
        ),
    )
    hits = list(frontend_resource_external.CHECK.inspect(facts))
    assert [(h.subject, h.title, h.file, h.line, h.key) for h in hits] == [
        (
            "https://cdn.example.com/x.js",
            "Frontend module loaded from cdn.example.com",
            "configuration.yaml",
            4,
            "frontend.extra_module_url[1]",
        ),
        (
            "https://unpkg.com/card.js",
            "Dashboard resource loaded from unpkg.com",
            ".storage/lovelace_resources",
            None,
            None,
        ),
        (
            "https://cdn.example.com/x.js",
            "Dashboard resource loaded from cdn.example.com",
            ".storage/lovelace_resources",
            None,
            None,
        ),
        (
            "https://es5.example.com/x.js",
            "Frontend script loaded from es5.example.com",
            None,
            None,
            None,
        ),
    ]
    assert [h.placeholders["where"] for h in hits] == [
        "`configuration.yaml`, line 4",
        "the dashboard resources ([Settings → Dashboards → ⋮ → Resources]"
        "(/config/lovelace/resources))",
        "the dashboard resources ([Settings → Dashboards → ⋮ → Resources]"
        "(/config/lovelace/resources))",
        "`frontend: extra_js_url_es5`, as Home Assistant serves it now: an integration "
        "added it (it is not in the configuration)",
    ]
    assert hits[0].placeholders["url"] == "`https://cdn.example.com/x.js`"
    assert hits[0].placeholders["host"] == "cdn.example.com"
    summary = frontend_resource_external.CHECK.summary
    assert summary is not None
    assert summary(facts) == (
        "4 code URLs from 3 other hosts (of 4 dashboard resources and 2 frontend URLs)"
    )


def test_nothing_foreign_passes() -> None:
    assert list(frontend_resource_external.CHECK.inspect(frontend_facts())) == []


# --- custom_integration_risk on facts --------------------------------------------------------


def integration(domain: str, **values: Any) -> CustomIntegration:
    return CustomIntegration(
        domain=domain, name=values.pop("name", None), version="1", **values
    )


def repo(domain: str, repo_id: str = "1", **values: Any) -> HacsRepository:
    return HacsRepository(
        id=repo_id,
        full_name=f"someone/{domain}",
        domain=domain,
        archived=values.pop("archived", False),
        **values,
    )


def risk_facts(integrations: tuple[CustomIntegration, ...], hacs: HacsFacts) -> Facts:
    return Facts(
        {
            CUSTOM_INTEGRATIONS: CustomIntegrations(integrations=integrations),
            HACS: hacs,
        },
        now=NOW,
    )


def risk_hits(facts: Facts) -> list[Hit]:
    return list(custom_integration_risk.CHECK.inspect(facts))


def test_each_reason_once_per_integration() -> None:
    installed = {
        "hacs": repo("hacs", "172733314"),
        "fine": repo("fine", "2"),
        "stale": repo("stale", "3", archived=True),
        "pulled": repo("pulled", "4", removed=True),
        "gone": repo("gone", "5", archived=True, removed=True),
        "gitreq": repo("gitreq", "6"),
    }
    facts = risk_facts(
        (
            integration("hacs", name="HACS"),
            integration("fine"),
            integration("stale", name="Stale"),
            integration("pulled"),
            integration("gone"),
            integration(
                "gitreq",
                url_requirements=tuple(f"r{n} @ git+https://x/{n}" for n in range(7)),
            ),
            integration("manual", import_paths=("/opt/shared",), linked_to="/srv/x"),
        ),
        HacsFacts(present=True, installed=installed, file=".storage/hacs.repositories"),
    )
    hits = risk_hits(facts)
    assert [(h.subject, h.severity) for h in hits] == [
        ("custom_components/stale: archived", None),
        ("custom_components/pulled: removed", Severity.INFO),
        ("custom_components/gone: removed", Severity.INFO),
        ("custom_components/gone: archived", Severity.INFO),
        ("custom_components/gitreq: requirements from a URL", None),
        ("custom_components/manual: untracked", None),
        ("custom_components/manual: import path", None),
        ("custom_components/manual: linked folder", None),
    ]
    by_subject = {h.subject: h for h in hits}
    stale = by_subject["custom_components/stale: archived"]
    assert (
        stale.title == "Custom integration Stale is archived upstream (someone/stale)"
    )
    assert stale.placeholders == {
        "integration": "`Stale`",
        "folder": "`custom_components/stale`",
        "problem": "its repository `someone/stale` is archived: no fixes will come, "
        "security fixes included",
    }
    gitreq = by_subject["custom_components/gitreq: requirements from a URL"]
    assert (gitreq.file, gitreq.key) == (
        "custom_components/gitreq/manifest.json",
        "requirements",
    )
    assert gitreq.placeholders["problem"] == (
        "its manifest makes Home Assistant install `r0 @ git+https://x/0`, "
        "`r1 @ git+https://x/1`, `r2 @ git+https://x/2`, `r3 @ git+https://x/3`, "
        "`r4 @ git+https://x/4` and 2 more from a URL, not from the package index"
    )
    summary = custom_integration_risk.CHECK.summary
    assert summary is not None
    assert summary(facts) == "7 custom integrations, 6 installed through HACS"


def test_without_hacs_every_integration_is_outside() -> None:
    facts = risk_facts(
        (integration("hacs"), integration("one")),
        HacsFacts(present=False, installed={}),
    )
    assert [h.subject for h in risk_hits(facts)] == [
        "custom_components/hacs: untracked",
        "custom_components/one: untracked",
    ]


def test_the_marketplace_is_named_from_2026_11() -> None:
    facts = risk_facts(
        (integration("one"), integration("two")),
        HacsFacts(present=True, installed={"two": repo("two")}, manager=MARKETPLACE),
    )
    (hit,) = risk_hits(facts)
    assert hit.subject == "custom_components/one: untracked"
    assert (
        hit.title == "Custom integration one is not installed through the Marketplace"
    )
    summary = custom_integration_risk.CHECK.summary
    assert summary is not None
    assert (
        summary(facts) == "2 custom integrations, 1 installed through the Marketplace"
    )


def test_outside_hacs_is_not_decided_when_hacs_lost_a_folder_name() -> None:
    facts = risk_facts(
        (integration("one", url_requirements=("x @ https://h/x.zip",)),),
        HacsFacts(present=True, installed={}, unmapped=1),
    )
    assert [h.subject for h in risk_hits(facts)] == [
        "custom_components/one: requirements from a URL"
    ]


def test_the_count_metrics() -> None:
    facts = risk_facts(
        (integration("a"), integration("b"), integration("c")),
        HacsFacts(present=True, installed={"a": repo("a"), "z": repo("z")}),
    )
    metrics: tuple[Metric[Any], ...] = custom_integration_risk.METRICS
    assert [(m.name, m.compute(facts)) for m in metrics] == [
        ("custom_integrations", 3),
        ("custom_integrations_through_hacs", 1),
    ]


# --- end to end ------------------------------------------------------------------------------

pytestmark = pytest.mark.usefixtures("socket_enabled")  # http listens on loopback

CONFIGURATION = (
    "frontend:\n"
    "  extra_module_url:\n"
    "    - /local/card-mod.js\n"
    f"    - https://admin:{CANARY}@cdn.example.com/mod.js\n"
)


def exposed(hass: HomeAssistant, *extra: Any) -> str:
    """Everything the integration shows: states, repair issues, and what is passed in."""
    return json.dumps(
        [
            [s.as_dict() for s in hass.states.async_all()],
            [
                {"id": i.issue_id, "placeholders": i.translation_placeholders}
                for i in ir.async_get(hass).issues.values()
            ],
            *extra,
        ],
        default=str,
    )


def supply_chain_issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    return {
        issue_id: issue
        for issue_id, issue in issues(hass).items()
        if issue.translation_key
        in ("frontend_resource_external", "custom_integration_risk")
    }


async def async_rescan_requested(hass: HomeAssistant) -> None:
    """Let the rescan a listener requested run (after the refresh cooldown)."""
    await hass.async_block_till_done(wait_background_tasks=True)
    async_fire_time_changed(hass, dt_util.utcnow() + REFRESH_COOLDOWN * 2)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_frontend_code_from_other_hosts_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    tmp_path: Path,
    mock_config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client: ClientSessionGenerator,
) -> None:
    hass.config.external_url = "https://home.example.org"
    (config_dir / "configuration.yaml").write_text(CONFIGURATION, encoding="utf-8")
    await async_setup_frontend(
        hass,
        tmp_path,
        {
            "extra_module_url": [
                "/local/card-mod.js",
                f"https://admin:{CANARY}@cdn.example.com/mod.js",
            ]
        },
    )
    await async_create_resources(
        hass,
        hass_ws_client,
        "/hacsfiles/button-card/button-card.js",
        "https://home.example.org/local/own.js",
        f"https://unpkg.com/card@1/card.js?access_token={CANARY}",
    )
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)

    assert status_of(report, "frontend_resource_external") == "fail"
    found = {f["subject"]: f for f in findings_of(report, "frontend_resource_external")}
    assert set(found) == {
        "https://***@cdn.example.com/mod.js",
        "https://unpkg.com/card@1/card.js?***",
    }
    module = found["https://***@cdn.example.com/mod.js"]
    assert (module["file"], module["line"], module["key"], module["severity"]) == (
        "configuration.yaml",
        4,
        "frontend.extra_module_url[1]",
        "medium",
    )
    resource = found["https://unpkg.com/card@1/card.js?***"]
    assert resource["title"] == "Dashboard resource loaded from unpkg.com"
    assert resource["file"] == ".storage/lovelace_resources"
    sensor = hass.states.get("binary_sensor.security_posture_supply_chain")
    assert sensor is not None
    assert sensor.state == "on"
    assert {f["id"] for f in sensor.attributes["findings"]} == {
        f["id"] for f in found.values()
    }

    issue = issues(hass)[resource["id"]]
    assert issue.translation_key == "frontend_resource_external"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.learn_more_url == frontend_resource_external.URL_RESOURCES
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["host"] == "unpkg.com"

    # Accept the risk of the module through the repair's flow.
    flows = FlowClient(await hass_client())
    confirm = await flows.start(module["id"])
    assert (confirm["type"], confirm["step_id"]) == ("form", "confirm")
    assert (
        confirm["description_placeholders"]["where"] == "`configuration.yaml`, line 4"
    )
    done = await flows.step(confirm, {"reason": "our own CDN"})
    assert (done["type"], done["reason"]) == ("abort", "risk_accepted")
    await hass.async_block_till_done()
    assert issues(hass)[module["id"]].dismissed_version is not None

    # Removing the resource through the collection's API rescans: its finding is gone.
    resources = hass.data["lovelace"].resources
    (item,) = [i for i in resources.async_items() if "unpkg.com" in i["url"]]
    ws = await hass_ws_client(hass)
    await ws.send_json(
        {"id": 1, "type": "lovelace/resources/delete", "resource_id": item["id"]}
    )
    assert (await ws.receive_json())["success"]
    await async_rescan_requested(hass)
    assert resource["id"] not in issues(hass)
    after = await async_scan(hass)
    assert [f["subject"] for f in findings_of(after, "frontend_resource_external")] == [
        "https://***@cdn.example.com/mod.js"
    ]
    assert findings_of(after, "frontend_resource_external")[0]["ignored"] is True
    assert hass.states.get("binary_sensor.security_posture_supply_chain").state == "off"

    assert CANARY not in exposed(hass, report, after, flows.responses)


def hacs_tree(config_dir: Path) -> None:
    """A custom_components tree and HACS' storage, as HACS leaves them."""
    write_integration(
        config_dir, "hacs", {"domain": "hacs", "name": "HACS", "version": "2.0.5"}
    )
    write_integration(config_dir, "fine")
    write_integration(config_dir, "stale")
    write_integration(config_dir, "pulled")
    write_integration(
        config_dir,
        "fromgit",
        {
            "domain": "fromgit",
            "name": "From git",
            "version": "0.2.0",
            "requirements": [f"lib @ git+https://{CANARY}@github.com/someone/lib.git"],
        },
    )
    write_integration(
        config_dir,
        "copied",
        files={
            "__init__.py": (
                "import os\nimport sys\n\n"
                "sys.path.append(os.path.join(os.path.dirname(__file__), '..', '..', 'lib'))\n"
            )
        },
    )
    write_storage(
        config_dir,
        "hacs.repositories",
        {
            "172733314": hacs_entry("hacs", "hacs/integration"),
            "11": hacs_entry("fine", "someone/fine"),
            "12": hacs_entry("stale", "someone/stale", archived=True),
            "13": hacs_entry("pulled", "someone/pulled"),
            "14": hacs_entry("fromgit", "someone/fromgit"),
            "15": hacs_entry("notdownloaded", "someone/nope", installed=False),
        },
        version="6",
    )
    write_storage(
        config_dir,
        "hacs.hacs",
        {
            "archived_repositories": [],
            "ignored_repositories": [],
            "renamed_repositories": {},
        },
        version="6",
    )


async def test_custom_integrations_end_to_end(
    hass: HomeAssistant,
    config_dir: Path,
    tmp_path: Path,
    mock_config_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    hacs_tree(config_dir)
    # HACS raised its own repair for the repository it removed.
    ir.async_create_issue(
        hass,
        "hacs",
        "removed_13",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="removed",
    )
    (config_dir / "configuration.yaml").write_text("frontend:\n", encoding="utf-8")
    await async_setup_frontend(hass, tmp_path)
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)

    found = {f["subject"]: f for f in findings_of(report, "custom_integration_risk")}
    assert {subject: f["severity"] for subject, f in found.items()} == {
        "custom_components/stale: archived": "medium",
        "custom_components/pulled: removed": "info",
        "custom_components/fromgit: requirements from a URL": "medium",
        "custom_components/copied: untracked": "medium",
        "custom_components/copied: import path": "medium",
    }
    result = next(
        c for c in report["checks"] if c["check"] == "custom_integration_risk"
    )
    assert result == {
        "check": "custom_integration_risk",
        "family": "supply_chain",
        "status": "fail",
        "reason": "6 custom integrations, 5 installed through HACS",
    }
    count = hass.states.get("sensor.security_posture_custom_integrations")
    assert count is not None
    assert count.state == "6"
    assert count.attributes["through_hacs"] == 5

    ours = issues(hass)
    pulled = found["custom_components/pulled: removed"]
    assert pulled["id"] not in ours  # HACS' own repair says it already
    assert ("hacs", "removed_13") in ir.async_get(hass).issues
    copied = found["custom_components/copied: import path"]
    issue = ours[copied["id"]]
    assert issue.translation_key == "custom_integration_risk"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["problem"] == (
        "its code puts `lib` on Python's import path, for every integration"
    )

    flows = FlowClient(await hass_client())
    confirm = await flows.start(copied["id"])
    assert confirm["step_id"] == "confirm"
    done = await flows.step(confirm, {})
    assert (done["type"], done["reason"]) == ("abort", "risk_accepted")

    # HACS takes back its repair: the rescan it causes drops our info finding.
    ir.async_delete_issue(hass, "hacs", "removed_13")
    await async_rescan_requested(hass)
    coordinator = mock_config_entry.runtime_data
    assert "custom_components/pulled: removed" not in {
        f.subject for f in coordinator.data.findings
    }
    after = await async_scan(hass)
    assert CANARY not in exposed(hass, report, after, flows.responses)


async def test_broken_hacs_storage_makes_the_check_unknown(
    hass: HomeAssistant, config_dir: Path, mock_config_entry: MockConfigEntry
) -> None:
    write_integration(config_dir, "one")
    (config_dir / ".storage").mkdir(exist_ok=True)
    (config_dir / ".storage" / "hacs.repositories").write_text("{", encoding="utf-8")
    write_integration(config_dir, "broken", "{not json")
    await async_setup_integration(hass, mock_config_entry)
    report = await async_scan(hass)
    result = next(
        c for c in report["checks"] if c["check"] == "custom_integration_risk"
    )
    assert (result["status"], result["reason"]) == (
        "unknown",
        ".storage/hacs.repositories: not valid JSON",
    )
    # The count needs no HACS storage; the broken manifest is a note.
    count = hass.states.get("sensor.security_posture_custom_integrations")
    assert count is not None
    assert count.state == "1"
    assert "through_hacs" not in count.attributes
    assert {
        "family": "supply_chain",
        "file": "custom_components/broken/manifest.json",
        "reason": "not a JSON object: not loaded",
    } in report["notes"]
    assert supply_chain_issues(hass) == {}
