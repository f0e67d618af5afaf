"""A folium map built and rendered once per input, then handed to streamlit-folium's component.

`st_folium` renders the whole map three times a run (page root, map, header, script) and
walks every polygon coordinate for the map's bounds; with the map's own building that was
most of Peta's run (bench/profile_pages.py: st_folium 1,35 of 2,71 s over three warm runs
at 1×, more at 10× with ten times the posyandu points). Here the rendered parts are kept
per (warehouse version, the page's key), and the component gets exactly the arguments
`st_folium` would give it (tests/dashboard/test_cached_map.py compares them), so clicks,
`on_change` and the returned value behave as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import streamlit as st
import streamlit_folium as stf

from dashboard.db import file_version, warehouse_path


@dataclass(frozen=True)
class RenderedMap:
    """What `st_folium` computes from a map before it calls the component."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict[str, dict[str, float]]
    zoom: Any
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def render_map(fmap: folium.Map) -> RenderedMap:
    """The component's inputs for a folium.Map, computed as `st_folium` 0.27 does."""
    fmap.get_root().render()
    fmap.render()
    html = stf._get_html(fmap)
    header = stf._get_header(fmap)
    script = stf._get_map_string(fmap)
    (south, west), (north, east) = fmap.get_bounds()
    css: list[str] = []
    js: list[str] = []
    for element in _walk(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=stf.get_full_id(fmap),
        bounds={"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        zoom=fmap.options.get("zoom"),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
    )


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


@st.cache_resource(show_spinner=False, max_entries=48)
def _rendered(
    name: str, key_parts: Hashable, version: str, widget_key: str, _build: Callable[[], folium.Map]
) -> tuple[RenderedMap, str]:
    """The rendered map and st_folium's component key for it (a regex pass and a hash over
    the whole script, tens of ms with 9.000 points). `name` and `key_parts` identify _build."""
    rendered = render_map(_build())
    return rendered, stf.generate_js_hash(rendered.script, widget_key, False)


def file_stamp(path: Path | None) -> tuple[str, int] | None:
    """A file's part of a map's key (a boundary file replaced by an upload redraws the map)."""
    if path is None or not path.exists():
        return None
    return str(path), path.stat().st_mtime_ns


def show_cached_map(
    build: Callable[[], folium.Map],
    name: str,
    key_parts: Hashable,
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    on_change: Callable[[], None] | None = None,
) -> Any:
    """Draw `build()`'s map, built and rendered at most once per warehouse version and
    `key_parts` (everything the map depends on besides the warehouse: filters, choices,
    boundary files). Returns what `st_folium` returns."""
    rendered, hash_key = _rendered(name, key_parts, file_version(warehouse_path()), key, build)
    defaults = {field: value for field, value in _defaults(rendered).items() if field in returned_objects}

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return stf._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=hash_key,
        height=height,
        width=None,  # use_container_width=True
        returned_objects=list(returned_objects),
        default=defaults,
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=changed,
        wrap_longitude=False,
    )


def _defaults(rendered: RenderedMap) -> dict[str, Any]:
    return {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "bounds": rendered.bounds,
        "zoom": rendered.zoom,
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }
