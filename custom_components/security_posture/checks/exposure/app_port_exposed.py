"""`app_port_exposed` (high): an add-on's web UI open on a port of the host, beside ingress.

Ingress puts Home Assistant's login in front of an add-on's web UI. The same UI on a port of
the host skips it: anyone who reaches the host on that port gets the add-on's own login, if
it has one. Under the Supervisor only (Home Assistant OS, Supervised); elsewhere there are
no add-ons and the check passes, not applicable.

A web UI counts when the Supervisor resolves the add-on's declared web UI to a host port,
when the port ingress uses is also published on the host, or when Node-RED's or ESPHome's
direct-access port is published; their `leave_front_door_open` option turns that port's
login off, which the finding says. It is a finding for an add-on that offers ingress (the
port is avoidable: "besides ingress") or runs on the host's network; an add-on without
ingress on its own network has no other way to be used. Only running add-ons listen; a
port left unpublished (`null`) is no finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ...engine import Check, Facts, NotApplicable
from ...inspect.addon_details import FRONT_DOOR_OPTION, WebRoute
from ...inspect.supervisor import SUPERVISOR
from ...markdown import Markdown, code, escape
from ...model import Family, Hit, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ...inspect.addon_details import WebUi
    from ...inspect.supervisor import Addon

NO_SUPERVISOR: Final = "no Supervisor: this is a Core or Container installation"


def _inspect(facts: Facts) -> Iterator[Hit]:
    supervisor = facts[SUPERVISOR]
    if supervisor is None:
        raise NotApplicable(NO_SUPERVISOR)
    for addon in supervisor.addons:
        network = addon.network
        web = network.web_ui if network is not None else None
        if (
            network is not None
            and web is not None
            and addon.started
            and (network.ingress or web.host_network)
        ):
            yield _hit(addon, web)


def _hit(addon: Addon, web: WebUi) -> Hit:
    name = escape(f"{addon.name} ({addon.slug})")
    if web.front_door_open:
        title = f"{addon.name} lets anyone on the network in on port {web.port}"
        how = (
            f"its {code(FRONT_DOOR_OPTION)} option is on, so that port asks for no "
            "login at all"
        )
    else:
        title = f"{addon.name} serves its web UI on port {web.port} of the host"
        how = {
            WebRoute.WEBUI: "the add-on declares it as its web UI",
            WebRoute.INGRESS: "it is the port ingress uses, published on the host too",
            WebRoute.DIRECT: "it is the add-on's direct-access port",
        }[web.route]
    where = " on the host's own network" if web.host_network else ""
    return Hit(
        subject=f"addon:{addon.slug}",
        title=title,
        key=FRONT_DOOR_OPTION if web.front_door_open else None,
        placeholders={
            "addon": addon.name,
            "detail": Markdown(
                f"the add-on {name} listens on port {web.port}{where}: {how}"
            ),
        },
    )


CHECK: Final = Check(
    id="app_port_exposed",
    family=Family.EXPOSURE,
    severity=Severity.HIGH,
    learn_more_url="https://developers.home-assistant.io/docs/add-ons/presentation#ingress",
    needs=(SUPERVISOR,),
    inspect=_inspect,
)
