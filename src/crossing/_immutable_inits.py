"""Prebuilt __init__ methods for the classes made with @immutable (see crossing/immutable.py).

Generated: do not edit. CROSSING_REGENERATE=1 pytest tests/test_immutable.py writes it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def crossing_analysis_core_Budget(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, memory_mb: Any, explore_seconds: Any, sample_seconds: Any) -> None:
        _immutable_set(self, 'memory_mb', memory_mb)
        _immutable_set(self, 'explore_seconds', explore_seconds)
        _immutable_set(self, 'sample_seconds', sample_seconds)
    return __init__


def crossing_analysis_explore_Limits(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, max_states: Any, memory_bytes: Any, deadline: Any = _immutable_defaults['deadline']) -> None:
        _immutable_set(self, 'max_states', max_states)
        _immutable_set(self, 'memory_bytes', memory_bytes)
        _immutable_set(self, 'deadline', deadline)
    return __init__


def crossing_analysis_result_RouteOdds(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, entry: Any, safe: Any, best_safe: Any, kinds: Any, exact: Any) -> None:
        _immutable_set(self, 'entry', entry)
        _immutable_set(self, 'safe', safe)
        _immutable_set(self, 'best_safe', best_safe)
        _immutable_set(self, 'kinds', kinds)
        _immutable_set(self, 'exact', exact)
    return __init__


def crossing_analysis_result_StrategyStep(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, choice: Any, text: Any) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'choice', choice)
        _immutable_set(self, 'text', text)
    return __init__


def crossing_diagnostics_Diagnostic(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, file: Any, line: Any, column: Any, severity: Any, code: Any, message: Any) -> None:
        _immutable_set(self, 'file', file)
        _immutable_set(self, 'line', line)
        _immutable_set(self, 'column', column)
        _immutable_set(self, 'severity', severity)
        _immutable_set(self, 'code', code)
        _immutable_set(self, 'message', message)
    return __init__


def crossing_diagnostics_Validation(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, story: Any, diagnostics: Any) -> None:
        _immutable_set(self, 'story', story)
        _immutable_set(self, 'diagnostics', diagnostics)
    return __init__


def crossing_engine_OfferedChoice(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, number: Any, index: Any, choice: Any) -> None:
        _immutable_set(self, 'number', number)
        _immutable_set(self, 'index', index)
        _immutable_set(self, 'choice', choice)
    return __init__


def crossing_engine_RunSummary(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, steps: Any, risks: Any, routes: Any, places: Any, nodes: Any) -> None:
        _immutable_set(self, 'steps', steps)
        _immutable_set(self, 'risks', risks)
        _immutable_set(self, 'routes', routes)
        _immutable_set(self, 'places', places)
        _immutable_set(self, 'nodes', nodes)
    return __init__


def crossing_expressions_Binary(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, op: Any, left: Any, right: Any, offset: Any) -> None:
        _immutable_set(self, 'op', op)
        _immutable_set(self, 'left', left)
        _immutable_set(self, 'right', right)
        _immutable_set(self, 'offset', offset)
    return __init__


def crossing_expressions_Expression(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, source: Any, tree: Any, evaluate: Any, variable_refs: Any = _immutable_defaults['variable_refs'], visited_refs: Any = _immutable_defaults['visited_refs']) -> None:
        _immutable_set(self, 'source', source)
        _immutable_set(self, 'tree', tree)
        _immutable_set(self, 'evaluate', evaluate)
        _immutable_set(self, 'variable_refs', variable_refs)
        _immutable_set(self, 'visited_refs', visited_refs)
    return __init__


def crossing_expressions_Literal_(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, value: Any, offset: Any) -> None:
        _immutable_set(self, 'value', value)
        _immutable_set(self, 'offset', offset)
    return __init__


def crossing_expressions_Name(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, name: Any, offset: Any) -> None:
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'offset', offset)
    return __init__


def crossing_expressions_TypeProblem(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, message: Any, offset: Any) -> None:
        _immutable_set(self, 'message', message)
        _immutable_set(self, 'offset', offset)
    return __init__


def crossing_expressions_Unary(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, op: Any, operand: Any, offset: Any) -> None:
        _immutable_set(self, 'op', op)
        _immutable_set(self, 'operand', operand)
        _immutable_set(self, 'offset', offset)
    return __init__


def crossing_expressions_Visited(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node_id: Any, offset: Any) -> None:
        _immutable_set(self, 'node_id', node_id)
        _immutable_set(self, 'offset', offset)
    return __init__


def crossing_expressions__Token(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, kind: Any, text: Any, offset: Any) -> None:
        _immutable_set(self, 'kind', kind)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'offset', offset)
    return __init__


def crossing_graph_Edge(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, source: Any, target: Any, text: Any, condition: Any, share: Any) -> None:
        _immutable_set(self, 'source', source)
        _immutable_set(self, 'target', target)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'condition', condition)
        _immutable_set(self, 'share', share)
    return __init__


def crossing_guide_Bold(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any) -> None:
        _immutable_set(self, 'text', text)
    return __init__


def crossing_guide_Bullets(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, items: Any, numbered: Any = _immutable_defaults['numbered']) -> None:
        _immutable_set(self, 'items', items)
        _immutable_set(self, 'numbered', numbered)
    return __init__


def crossing_guide_Code(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any) -> None:
        _immutable_set(self, 'text', text)
    return __init__


def crossing_guide_Em(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any) -> None:
        _immutable_set(self, 'text', text)
    return __init__


def crossing_guide_Grid(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, headers: Any, rows: Any) -> None:
        _immutable_set(self, 'headers', headers)
        _immutable_set(self, 'rows', rows)
    return __init__


def crossing_guide_Heading(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, level: Any, text: Any, anchor: Any = _immutable_defaults['anchor']) -> None:
        _immutable_set(self, 'level', level)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'anchor', anchor)
    return __init__


def crossing_guide_Lines(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, count: Any) -> None:
        _immutable_set(self, 'count', count)
    return __init__


def crossing_guide_Link(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, url: Any) -> None:
        _immutable_set(self, 'url', url)
    return __init__


def crossing_guide_MapSlot(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any) -> None:
        pass
    return __init__


def crossing_guide_PageBreak(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any) -> None:
        pass
    return __init__


def crossing_guide_Para(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, line: Any, muted: Any = _immutable_defaults['muted']) -> None:
        _immutable_set(self, 'line', line)
        _immutable_set(self, 'muted', muted)
    return __init__


def crossing_guide_RunLengths(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, runs: Any, minutes: Any, minutes_p90: Any, decisions: Any, decisions_p90: Any, by_route: Any) -> None:
        _immutable_set(self, 'runs', runs)
        _immutable_set(self, 'minutes', minutes)
        _immutable_set(self, 'minutes_p90', minutes_p90)
        _immutable_set(self, 'decisions', decisions)
        _immutable_set(self, 'decisions_p90', decisions_p90)
        _immutable_set(self, 'by_route', by_route)
    return __init__


def crossing_guide_Terms(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, items: Any) -> None:
        _immutable_set(self, 'items', items)
    return __init__


def crossing_guide_Toc(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, entries: Any) -> None:
        _immutable_set(self, 'entries', entries)
    return __init__


def crossing_journeys_Journey(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, places: Any, legs: Any, km: Any) -> None:
        _immutable_set(self, 'places', places)
        _immutable_set(self, 'legs', legs)
        _immutable_set(self, 'km', km)
    return __init__


def crossing_keys_Choose(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, number: Any) -> None:
        _immutable_set(self, 'number', number)
    return __init__


def crossing_keys_Do(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, action: Any) -> None:
        _immutable_set(self, 'action', action)
    return __init__


def crossing_keys_Invalid(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, message: Any) -> None:
        _immutable_set(self, 'message', message)
    return __init__


def crossing_maps_canvas_MapCell(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, char: Any, tag: Any) -> None:
        _immutable_set(self, 'char', char)
        _immutable_set(self, 'tag', tag)
    return __init__


def crossing_maps_countries_Country(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, region_name: Any, names: Any, lat: Any, lon: Any) -> None:
        _immutable_set(self, 'region_name', region_name)
        _immutable_set(self, 'names', names)
        _immutable_set(self, 'lat', lat)
        _immutable_set(self, 'lon', lon)
    return __init__


def crossing_maps_countries_CountryGrid(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, lon_min: Any, lat_min: Any, cols: Any, rows: Any, cells: Any) -> None:
        _immutable_set(self, 'lon_min', lon_min)
        _immutable_set(self, 'lat_min', lat_min)
        _immutable_set(self, 'cols', cols)
        _immutable_set(self, 'rows', rows)
        _immutable_set(self, 'cells', cells)
    return __init__


def crossing_maps_countries_GridSpot(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, country: Any, text: Any, col: Any, row: Any, width: Any) -> None:
        _immutable_set(self, 'country', country)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'col', col)
        _immutable_set(self, 'row', row)
        _immutable_set(self, 'width', width)
    return __init__


def crossing_maps_distance_Leg(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, start_id: Any, start_name: Any, end_id: Any, end_name: Any, km: Any) -> None:
        _immutable_set(self, 'start_id', start_id)
        _immutable_set(self, 'start_name', start_name)
        _immutable_set(self, 'end_id', end_id)
        _immutable_set(self, 'end_name', end_name)
        _immutable_set(self, 'km', km)
    return __init__


def crossing_maps_distance_MapPlace(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, name: Any, lat: Any, lon: Any) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'lat', lat)
        _immutable_set(self, 'lon', lon)
    return __init__


def crossing_maps_distance_MapRoute(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, name: Any, place_ids: Any, colour: Any = _immutable_defaults['colour']) -> None:
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'place_ids', place_ids)
        _immutable_set(self, 'colour', colour)
    return __init__


def crossing_maps_glyphs_Glyphs(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, braille: Any, place: Any, current: Any, ellipsis: Any, arrows: Any) -> None:
        _immutable_set(self, 'braille', braille)
        _immutable_set(self, 'place', place)
        _immutable_set(self, 'current', current)
        _immutable_set(self, 'ellipsis', ellipsis)
        _immutable_set(self, 'arrows', arrows)
    return __init__


def crossing_maps_labels_LabelRequest(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any, place_ids: Any, x: Any, y: Any, radius: Any, leaders: Any = _immutable_defaults['leaders']) -> None:
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'place_ids', place_ids)
        _immutable_set(self, 'x', x)
        _immutable_set(self, 'y', y)
        _immutable_set(self, 'radius', radius)
        _immutable_set(self, 'leaders', leaders)
    return __init__


def crossing_maps_labels_PlacedLabel(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any, place_ids: Any, x: Any, y: Any, anchor: Any, box: Any, leader: Any = _immutable_defaults['leader']) -> None:
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'place_ids', place_ids)
        _immutable_set(self, 'x', x)
        _immutable_set(self, 'y', y)
        _immutable_set(self, 'anchor', anchor)
        _immutable_set(self, 'box', box)
        _immutable_set(self, 'leader', leader)
    return __init__


def crossing_maps_layout_LegendEntry(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, name: Any, colour: Any, tag: Any) -> None:
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'colour', colour)
        _immutable_set(self, 'tag', tag)
    return __init__


def crossing_maps_layout_MapLabel(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any, col: Any, row: Any, width: Any, place_ids: Any) -> None:
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'col', col)
        _immutable_set(self, 'row', row)
        _immutable_set(self, 'width', width)
        _immutable_set(self, 'place_ids', place_ids)
    return __init__


def crossing_maps_pointers_Pointer(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, place: Any, text: Any, side: Any, x: Any, y: Any) -> None:
        _immutable_set(self, 'place', place)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'side', side)
        _immutable_set(self, 'x', x)
        _immutable_set(self, 'y', y)
    return __init__


def crossing_maps_projection_Projection(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, viewport: Any, width: Any, height: Any) -> None:
        _immutable_set(self, 'viewport', viewport)
        _immutable_set(self, 'width', width)
        _immutable_set(self, 'height', height)
    return __init__


def crossing_maps_projection_Viewport(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, lon_min: Any, lon_max: Any, lat_min: Any, lat_max: Any) -> None:
        _immutable_set(self, 'lon_min', lon_min)
        _immutable_set(self, 'lon_max', lon_max)
        _immutable_set(self, 'lat_min', lat_min)
        _immutable_set(self, 'lat_max', lat_max)
        self.__post_init__()
    return __init__


def crossing_maps_region_Outline(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, kind: Any, countries: Any, points: Any) -> None:
        _immutable_set(self, 'kind', kind)
        _immutable_set(self, 'countries', countries)
        _immutable_set(self, 'points', points)
    return __init__


def crossing_maps_region_Region(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, origin: Any, licence: Any, bbox: Any, lines: Any) -> None:
        _immutable_set(self, 'origin', origin)
        _immutable_set(self, 'licence', licence)
        _immutable_set(self, 'bbox', bbox)
        _immutable_set(self, 'lines', lines)
    return __init__


def crossing_maps_svg_Marker(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, place: Any, x: Any, y: Any, kind: Any) -> None:
        _immutable_set(self, 'place', place)
        _immutable_set(self, 'x', x)
        _immutable_set(self, 'y', y)
        _immutable_set(self, 'kind', kind)
    return __init__


def crossing_maps_svg_Panel(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, x: Any, y: Any, width: Any, height: Any, viewport: Any, outlines: Any, routes: Any, markers: Any, labels: Any, pointers: Any, stubs: Any = _immutable_defaults['stubs'], rings: Any = _immutable_defaults['rings'], countries: Any = _immutable_defaults['countries']) -> None:
        _immutable_set(self, 'x', x)
        _immutable_set(self, 'y', y)
        _immutable_set(self, 'width', width)
        _immutable_set(self, 'height', height)
        _immutable_set(self, 'viewport', viewport)
        _immutable_set(self, 'outlines', outlines)
        _immutable_set(self, 'routes', routes)
        _immutable_set(self, 'markers', markers)
        _immutable_set(self, 'labels', labels)
        _immutable_set(self, 'pointers', pointers)
        _immutable_set(self, 'stubs', stubs)
        _immutable_set(self, 'rings', rings)
        _immutable_set(self, 'countries', countries)
    return __init__


def crossing_maps_svg_Ring(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, name: Any, colour: Any, x: Any, y: Any, radius: Any) -> None:
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'colour', colour)
        _immutable_set(self, 'x', x)
        _immutable_set(self, 'y', y)
        _immutable_set(self, 'radius', radius)
    return __init__


def crossing_maps_svg_SvgPlan(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, width: Any, map_h: Any, height: Any, main: Any, inset: Any, inset_source: Any, legend: Any, current_name: Any, caption: Any, ringed: Any = _immutable_defaults['ringed']) -> None:
        _immutable_set(self, 'width', width)
        _immutable_set(self, 'map_h', map_h)
        _immutable_set(self, 'height', height)
        _immutable_set(self, 'main', main)
        _immutable_set(self, 'inset', inset)
        _immutable_set(self, 'inset_source', inset_source)
        _immutable_set(self, 'legend', legend)
        _immutable_set(self, 'current_name', current_name)
        _immutable_set(self, 'caption', caption)
        _immutable_set(self, 'ringed', ringed)
    return __init__


def crossing_model_Assignment(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, variable: Any, expression: Any, loc: Any = _immutable_defaults['loc']) -> None:
        _immutable_set(self, 'variable', variable)
        _immutable_set(self, 'expression', expression)
        _immutable_set(self, 'loc', loc)
    return __init__


def crossing_model_Choice(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any, goto: Any, outcomes: Any = _immutable_defaults['outcomes'], condition: Any = _immutable_defaults['condition'], assignments: Any = _immutable_defaults['assignments'], loc: Any = _immutable_defaults['loc'], condition_loc: Any = _immutable_defaults['condition_loc']) -> None:
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'goto', goto)
        _immutable_set(self, 'outcomes', outcomes)
        _immutable_set(self, 'condition', condition)
        _immutable_set(self, 'assignments', assignments)
        _immutable_set(self, 'loc', loc)
        _immutable_set(self, 'condition_loc', condition_loc)
    return __init__


def crossing_model_Debrief(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, why: Any, context: Any, questions: Any, gentle_why: Any = _immutable_defaults['gentle_why'], gentle_context: Any = _immutable_defaults['gentle_context']) -> None:
        _immutable_set(self, 'why', why)
        _immutable_set(self, 'context', context)
        _immutable_set(self, 'questions', questions)
        _immutable_set(self, 'gentle_why', gentle_why)
        _immutable_set(self, 'gentle_context', gentle_context)
    return __init__


def crossing_model_Ending(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, kind: Any, title: Any, debrief: Any = _immutable_defaults['debrief'], loc: Any = _immutable_defaults['loc'], title_given: Any = _immutable_defaults['title_given']) -> None:
        _immutable_set(self, 'kind', kind)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'debrief', debrief)
        _immutable_set(self, 'loc', loc)
        _immutable_set(self, 'title_given', title_given)
    return __init__


def crossing_model_EndingKind(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, label: Any, safe: Any = _immutable_defaults['safe']) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'label', label)
        _immutable_set(self, 'safe', safe)
    return __init__


def crossing_model_Fact(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, claim: Any, source: Any, loc: Any = _immutable_defaults['loc'], gentle_claim: Any = _immutable_defaults['gentle_claim']) -> None:
        _immutable_set(self, 'claim', claim)
        _immutable_set(self, 'source', source)
        _immutable_set(self, 'loc', loc)
        _immutable_set(self, 'gentle_claim', gentle_claim)
    return __init__


def crossing_model_Location(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, file: Any, line: Any, column: Any) -> None:
        _immutable_set(self, 'file', file)
        _immutable_set(self, 'line', line)
        _immutable_set(self, 'column', column)
    return __init__


def crossing_model_Node(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, text: Any, title: Any = _immutable_defaults['title'], route: Any = _immutable_defaults['route'], place: Any = _immutable_defaults['place'], risk: Any = _immutable_defaults['risk'], facts: Any = _immutable_defaults['facts'], choices: Any = _immutable_defaults['choices'], ending: Any = _immutable_defaults['ending'], content_warnings: Any = _immutable_defaults['content_warnings'], gentle_text: Any = _immutable_defaults['gentle_text'], loc: Any = _immutable_defaults['loc'], place_loc: Any = _immutable_defaults['place_loc']) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'route', route)
        _immutable_set(self, 'place', place)
        _immutable_set(self, 'risk', risk)
        _immutable_set(self, 'facts', facts)
        _immutable_set(self, 'choices', choices)
        _immutable_set(self, 'ending', ending)
        _immutable_set(self, 'content_warnings', content_warnings)
        _immutable_set(self, 'gentle_text', gentle_text)
        _immutable_set(self, 'loc', loc)
        _immutable_set(self, 'place_loc', place_loc)
    return __init__


def crossing_model_Outcome(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, weight: Any, goto: Any, assignments: Any = _immutable_defaults['assignments'], loc: Any = _immutable_defaults['loc'], text: Any = _immutable_defaults['text'], gentle_text: Any = _immutable_defaults['gentle_text']) -> None:
        _immutable_set(self, 'weight', weight)
        _immutable_set(self, 'goto', goto)
        _immutable_set(self, 'assignments', assignments)
        _immutable_set(self, 'loc', loc)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'gentle_text', gentle_text)
    return __init__


def crossing_model_Paragraph(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, text: Any, condition: Any = _immutable_defaults['condition'], otherwise: Any = _immutable_defaults['otherwise'], loc: Any = _immutable_defaults['loc'], condition_loc: Any = _immutable_defaults['condition_loc']) -> None:
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'condition', condition)
        _immutable_set(self, 'otherwise', otherwise)
        _immutable_set(self, 'loc', loc)
        _immutable_set(self, 'condition_loc', condition_loc)
    return __init__


def crossing_model_Passage(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, paragraphs: Any) -> None:
        _immutable_set(self, 'paragraphs', paragraphs)
    return __init__


def crossing_model_Place(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, name: Any, lat: Any, lon: Any, loc: Any = _immutable_defaults['loc']) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'lat', lat)
        _immutable_set(self, 'lon', lon)
        _immutable_set(self, 'loc', loc)
    return __init__


def crossing_model_Risk(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, level: Any, note: Any, loc: Any = _immutable_defaults['loc']) -> None:
        _immutable_set(self, 'level', level)
        _immutable_set(self, 'note', note)
        _immutable_set(self, 'loc', loc)
    return __init__


def crossing_model_Route(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, title: Any, description: Any = _immutable_defaults['description'], loc: Any = _immutable_defaults['loc']) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'description', description)
        _immutable_set(self, 'loc', loc)
    return __init__


def crossing_model_Source(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, title: Any, publisher: Any, year: Any, url: Any, loc: Any = _immutable_defaults['loc'], gentle_title: Any = _immutable_defaults['gentle_title'], note: Any = _immutable_defaults['note']) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'publisher', publisher)
        _immutable_set(self, 'year', year)
        _immutable_set(self, 'url', url)
        _immutable_set(self, 'loc', loc)
        _immutable_set(self, 'gentle_title', gentle_title)
        _immutable_set(self, 'note', note)
    return __init__


def crossing_model_Story(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, title: Any, start: Any, root: Any, version: Any = _immutable_defaults['version'], description: Any = _immutable_defaults['description'], variables: Any = _immutable_defaults['variables'], sources: Any = _immutable_defaults['sources'], nodes: Any = _immutable_defaults['nodes'], glossary: Any = _immutable_defaults['glossary'], gentle_glossary: Any = _immutable_defaults['gentle_glossary'], places: Any = _immutable_defaults['places'], routes: Any = _immutable_defaults['routes'], ending_kinds: Any = _immutable_defaults['ending_kinds'], files: Any = _immutable_defaults['files'], digest: Any = _immutable_defaults['digest'], start_loc: Any = _immutable_defaults['start_loc']) -> None:
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'start', start)
        _immutable_set(self, 'root', root)
        _immutable_set(self, 'version', version)
        _immutable_set(self, 'description', description)
        _immutable_set(self, 'variables', _immutable_defaults['variables()']() if variables is _immutable_defaults['variables'] else variables)
        _immutable_set(self, 'sources', _immutable_defaults['sources()']() if sources is _immutable_defaults['sources'] else sources)
        _immutable_set(self, 'nodes', _immutable_defaults['nodes()']() if nodes is _immutable_defaults['nodes'] else nodes)
        _immutable_set(self, 'glossary', _immutable_defaults['glossary()']() if glossary is _immutable_defaults['glossary'] else glossary)
        _immutable_set(self, 'gentle_glossary', _immutable_defaults['gentle_glossary()']() if gentle_glossary is _immutable_defaults['gentle_glossary'] else gentle_glossary)
        _immutable_set(self, 'places', _immutable_defaults['places()']() if places is _immutable_defaults['places'] else places)
        _immutable_set(self, 'routes', _immutable_defaults['routes()']() if routes is _immutable_defaults['routes'] else routes)
        _immutable_set(self, 'ending_kinds', _immutable_defaults['ending_kinds()']() if ending_kinds is _immutable_defaults['ending_kinds'] else ending_kinds)
        _immutable_set(self, 'files', files)
        _immutable_set(self, 'digest', digest)
        _immutable_set(self, 'start_loc', start_loc)
    return __init__


def crossing_model_Variable(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, name: Any, initial: Any, minimum: Any = _immutable_defaults['minimum'], maximum: Any = _immutable_defaults['maximum'], label: Any = _immutable_defaults['label'], loc: Any = _immutable_defaults['loc']) -> None:
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'initial', initial)
        _immutable_set(self, 'minimum', minimum)
        _immutable_set(self, 'maximum', maximum)
        _immutable_set(self, 'label', label)
        _immutable_set(self, 'loc', loc)
    return __init__


def crossing_persistence_Restored(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, state: Any, notices: Any) -> None:
        _immutable_set(self, 'state', state)
        _immutable_set(self, 'notices', notices)
    return __init__


def crossing_persistence_SavedRun(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, path: Any, scene_title: Any, updated: Any, finished: Any, state: Any, owner: Any = _immutable_defaults['owner'], events: Any = _immutable_defaults['events'], sequence: Any = _immutable_defaults['sequence']) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'path', path)
        _immutable_set(self, 'scene_title', scene_title)
        _immutable_set(self, 'updated', updated)
        _immutable_set(self, 'finished', finished)
        _immutable_set(self, 'state', state)
        _immutable_set(self, 'owner', owner)
        _immutable_set(self, 'events', events)
        _immutable_set(self, 'sequence', sequence)
    return __init__


def crossing_playthrough_ChoiceTaken(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, step: Any, narration: Any, decision: Any, votes: Any = _immutable_defaults['votes'], tie: Any = _immutable_defaults['tie']) -> None:
        _immutable_set(self, 'step', step)
        _immutable_set(self, 'narration', narration)
        _immutable_set(self, 'decision', decision)
        _immutable_set(self, 'votes', votes)
        _immutable_set(self, 'tie', tie)
    return __init__


def crossing_playthrough_Ended(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, why: Any, context: Any) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'why', why)
        _immutable_set(self, 'context', context)
    return __init__


def crossing_playthrough_SceneShown(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, text: Any, offered: Any, narration: Any) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'offered', offered)
        _immutable_set(self, 'narration', narration)
    return __init__


def crossing_playthrough_WentBack(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, step: Any) -> None:
        _immutable_set(self, 'step', step)
    return __init__


def crossing_report_counting_ChoiceCount(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, index: Any, text: Any, count: Any, hands: Any) -> None:
        _immutable_set(self, 'index', index)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'count', count)
        _immutable_set(self, 'hands', hands)
    return __init__


def crossing_report_counting_CitedFact(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, claim: Any, citation: Any, url: Any) -> None:
        _immutable_set(self, 'claim', claim)
        _immutable_set(self, 'citation', citation)
        _immutable_set(self, 'url', url)
    return __init__


def crossing_report_counting_Decision(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, title: Any, choices: Any, route: Any = _immutable_defaults['route']) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'choices', choices)
        _immutable_set(self, 'route', route)
    return __init__


def crossing_report_counting_EndingRow(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, title: Any, kind: Any, kind_label: Any, safe: Any, count: Any, random_play: Any, facts: Any, questions: Any = _immutable_defaults['questions']) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'kind', kind)
        _immutable_set(self, 'kind_label', kind_label)
        _immutable_set(self, 'safe', safe)
        _immutable_set(self, 'count', count)
        _immutable_set(self, 'random_play', random_play)
        _immutable_set(self, 'facts', facts)
        _immutable_set(self, 'questions', questions)
    return __init__


def crossing_report_counting_RandomPlay(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, endings: Any, exact: Any) -> None:
        _immutable_set(self, 'endings', endings)
        _immutable_set(self, 'exact', exact)
    return __init__


def crossing_report_counting_Skipped(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, path: Any, reason: Any) -> None:
        _immutable_set(self, 'path', path)
        _immutable_set(self, 'reason', reason)
    return __init__


def crossing_report_counting_Student(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, name: Any, finished: Any, ending: Any, ending_node: Any, kind: Any, kind_label: Any, decisions: Any, minutes: Any, mode: Any = _immutable_defaults['mode'], file: Any = _immutable_defaults['file'], route: Any = _immutable_defaults['route']) -> None:
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'finished', finished)
        _immutable_set(self, 'ending', ending)
        _immutable_set(self, 'ending_node', ending_node)
        _immutable_set(self, 'kind', kind)
        _immutable_set(self, 'kind_label', kind_label)
        _immutable_set(self, 'decisions', decisions)
        _immutable_set(self, 'minutes', minutes)
        _immutable_set(self, 'mode', mode)
        _immutable_set(self, 'file', file)
        _immutable_set(self, 'route', route)
    return __init__


def crossing_report_files_Refused(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, path: Any, reason: Any) -> None:
        _immutable_set(self, 'path', path)
        _immutable_set(self, 'reason', reason)
    return __init__


def crossing_rules_Rule(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, uid: Any, index: Any, text: Any, condition: Any, condition_source: Any, condition_where: Any, assigns: Any, targets: Any, cumulative: Any, total: Any, outcome_assigns: Any, probabilities: Any) -> None:
        _immutable_set(self, 'uid', uid)
        _immutable_set(self, 'index', index)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'condition', condition)
        _immutable_set(self, 'condition_source', condition_source)
        _immutable_set(self, 'condition_where', condition_where)
        _immutable_set(self, 'assigns', assigns)
        _immutable_set(self, 'targets', targets)
        _immutable_set(self, 'cumulative', cumulative)
        _immutable_set(self, 'total', total)
        _immutable_set(self, 'outcome_assigns', outcome_assigns)
        _immutable_set(self, 'probabilities', probabilities)
    return __init__


def crossing_rules_Rules(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, start: Any, names: Any, initial: Any, scenes: Any) -> None:
        _immutable_set(self, 'start', start)
        _immutable_set(self, 'names', names)
        _immutable_set(self, 'initial', initial)
        _immutable_set(self, 'scenes', scenes)
    return __init__


def crossing_rules_RuntimeProblem(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, expression: Any, where: Any, message: Any) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'expression', expression)
        _immutable_set(self, 'where', where)
        _immutable_set(self, 'message', message)
    return __init__


def crossing_rules_Scene(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, id: Any, ending_kind: Any, rules: Any, unconditional: Any) -> None:
        _immutable_set(self, 'id', id)
        _immutable_set(self, 'ending_kind', ending_kind)
        _immutable_set(self, 'rules', rules)
        _immutable_set(self, 'unconditional', unconditional)
    return __init__


def crossing_serve_room_RoomView(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, students: Any, endings: Any, active: Any, finished: Any) -> None:
        _immutable_set(self, 'students', students)
        _immutable_set(self, 'endings', endings)
        _immutable_set(self, 'active', active)
        _immutable_set(self, 'finished', finished)
    return __init__


def crossing_serve_room_StudentView(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, number: Any, name: Any, life: Any, scene: Any, route: Any, steps: Any, ending: Any, safe: Any, idle: Any) -> None:
        _immutable_set(self, 'number', number)
        _immutable_set(self, 'name', name)
        _immutable_set(self, 'life', life)
        _immutable_set(self, 'scene', scene)
        _immutable_set(self, 'route', route)
        _immutable_set(self, 'steps', steps)
        _immutable_set(self, 'ending', ending)
        _immutable_set(self, 'safe', safe)
        _immutable_set(self, 'idle', idle)
    return __init__


def crossing_state_StoryIdentity(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, title: Any, version: Any, digest: Any, root: Any) -> None:
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'version', version)
        _immutable_set(self, 'digest', digest)
        _immutable_set(self, 'root', root)
    return __init__


def crossing_textlint__Condition(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, expression: Any, loc: Any) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'expression', expression)
        _immutable_set(self, 'loc', loc)
    return __init__


def crossing_transcript_records_DebriefRecord(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, why: Any, context: Any, questions: Any) -> None:
        _immutable_set(self, 'why', why)
        _immutable_set(self, 'context', context)
        _immutable_set(self, 'questions', questions)
    return __init__


def crossing_transcript_records_EndingRecord(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, kind: Any, kind_label: Any, title: Any, safe: Any, text: Any, debrief: Any = _immutable_defaults['debrief'], at: Any = _immutable_defaults['at']) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'kind', kind)
        _immutable_set(self, 'kind_label', kind_label)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'safe', safe)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'debrief', debrief)
        _immutable_set(self, 'at', at)
    return __init__


def crossing_transcript_records_FactRecord(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, claim: Any, source: Any, citation: Any, url: Any = _immutable_defaults['url']) -> None:
        _immutable_set(self, 'claim', claim)
        _immutable_set(self, 'source', source)
        _immutable_set(self, 'citation', citation)
        _immutable_set(self, 'url', url)
    return __init__


def crossing_transcript_records_SceneRecord(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, node: Any, title: Any, text: Any, after_steps: Any, facts: Any = _immutable_defaults['facts']) -> None:
        _immutable_set(self, 'node', node)
        _immutable_set(self, 'title', title)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'after_steps', after_steps)
        _immutable_set(self, 'facts', facts)
    return __init__


def crossing_transcript_records_VoteCount(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, number: Any, choice_index: Any, text: Any, hands: Any) -> None:
        _immutable_set(self, 'number', number)
        _immutable_set(self, 'choice_index', choice_index)
        _immutable_set(self, 'text', text)
        _immutable_set(self, 'hands', hands)
    return __init__


def crossing_votes_Vote(_immutable_set: Any, _immutable_defaults: Any) -> Any:
    def __init__(self: Any, winner: Any, hands: Any, tie: Any = _immutable_defaults['tie']) -> None:
        _immutable_set(self, 'winner', winner)
        _immutable_set(self, 'hands', hands)
        _immutable_set(self, 'tie', tie)
    return __init__


SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    'crossing.analysis.core.Budget': (('memory_mb', ''), ('explore_seconds', ''), ('sample_seconds', '')),
    'crossing.analysis.explore.Limits': (('max_states', ''), ('memory_bytes', ''), ('deadline', 'default')),
    'crossing.analysis.result.RouteOdds': (('entry', ''), ('safe', ''), ('best_safe', ''), ('kinds', ''), ('exact', '')),
    'crossing.analysis.result.StrategyStep': (('node', ''), ('choice', ''), ('text', '')),
    'crossing.diagnostics.Diagnostic': (('file', ''), ('line', ''), ('column', ''), ('severity', ''), ('code', ''), ('message', '')),
    'crossing.diagnostics.Validation': (('story', ''), ('diagnostics', '')),
    'crossing.engine.OfferedChoice': (('number', ''), ('index', ''), ('choice', '')),
    'crossing.engine.RunSummary': (('steps', ''), ('risks', ''), ('routes', ''), ('places', ''), ('nodes', '')),
    'crossing.expressions.Binary': (('op', ''), ('left', ''), ('right', ''), ('offset', '')),
    'crossing.expressions.Expression': (('source', ''), ('tree', ''), ('evaluate', ''), ('variable_refs', 'default'), ('visited_refs', 'default')),
    'crossing.expressions.Literal_': (('value', ''), ('offset', '')),
    'crossing.expressions.Name': (('name', ''), ('offset', '')),
    'crossing.expressions.TypeProblem': (('message', ''), ('offset', '')),
    'crossing.expressions.Unary': (('op', ''), ('operand', ''), ('offset', '')),
    'crossing.expressions.Visited': (('node_id', ''), ('offset', '')),
    'crossing.expressions._Token': (('kind', ''), ('text', ''), ('offset', '')),
    'crossing.graph.Edge': (('source', ''), ('target', ''), ('text', ''), ('condition', ''), ('share', '')),
    'crossing.guide.Bold': (('text', ''),),
    'crossing.guide.Bullets': (('items', ''), ('numbered', 'default')),
    'crossing.guide.Code': (('text', ''),),
    'crossing.guide.Em': (('text', ''),),
    'crossing.guide.Grid': (('headers', ''), ('rows', '')),
    'crossing.guide.Heading': (('level', ''), ('text', ''), ('anchor', 'default')),
    'crossing.guide.Lines': (('count', ''),),
    'crossing.guide.Link': (('url', ''),),
    'crossing.guide.MapSlot': (),
    'crossing.guide.PageBreak': (),
    'crossing.guide.Para': (('line', ''), ('muted', 'default')),
    'crossing.guide.RunLengths': (('runs', ''), ('minutes', ''), ('minutes_p90', ''), ('decisions', ''), ('decisions_p90', ''), ('by_route', '')),
    'crossing.guide.Terms': (('items', ''),),
    'crossing.guide.Toc': (('entries', ''),),
    'crossing.journeys.Journey': (('places', ''), ('legs', ''), ('km', '')),
    'crossing.keys.Choose': (('number', ''),),
    'crossing.keys.Do': (('action', ''),),
    'crossing.keys.Invalid': (('message', ''),),
    'crossing.maps.canvas.MapCell': (('char', ''), ('tag', '')),
    'crossing.maps.countries.Country': (('region_name', ''), ('names', ''), ('lat', ''), ('lon', '')),
    'crossing.maps.countries.CountryGrid': (('lon_min', ''), ('lat_min', ''), ('cols', ''), ('rows', ''), ('cells', '')),
    'crossing.maps.countries.GridSpot': (('country', ''), ('text', ''), ('col', ''), ('row', ''), ('width', '')),
    'crossing.maps.distance.Leg': (('start_id', ''), ('start_name', ''), ('end_id', ''), ('end_name', ''), ('km', '')),
    'crossing.maps.distance.MapPlace': (('id', ''), ('name', ''), ('lat', ''), ('lon', '')),
    'crossing.maps.distance.MapRoute': (('name', ''), ('place_ids', ''), ('colour', 'default')),
    'crossing.maps.glyphs.Glyphs': (('braille', ''), ('place', ''), ('current', ''), ('ellipsis', ''), ('arrows', '')),
    'crossing.maps.labels.LabelRequest': (('text', ''), ('place_ids', ''), ('x', ''), ('y', ''), ('radius', ''), ('leaders', 'default')),
    'crossing.maps.labels.PlacedLabel': (('text', ''), ('place_ids', ''), ('x', ''), ('y', ''), ('anchor', ''), ('box', ''), ('leader', 'default')),
    'crossing.maps.layout.LegendEntry': (('name', ''), ('colour', ''), ('tag', '')),
    'crossing.maps.layout.MapLabel': (('text', ''), ('col', ''), ('row', ''), ('width', ''), ('place_ids', '')),
    'crossing.maps.pointers.Pointer': (('place', ''), ('text', ''), ('side', ''), ('x', ''), ('y', '')),
    'crossing.maps.projection.Projection': (('viewport', ''), ('width', ''), ('height', '')),
    'crossing.maps.projection.Viewport': (('lon_min', ''), ('lon_max', ''), ('lat_min', ''), ('lat_max', ''), ('__post_init__', 'call')),
    'crossing.maps.region.Outline': (('kind', ''), ('countries', ''), ('points', '')),
    'crossing.maps.region.Region': (('origin', ''), ('licence', ''), ('bbox', ''), ('lines', '')),
    'crossing.maps.svg.Marker': (('place', ''), ('x', ''), ('y', ''), ('kind', '')),
    'crossing.maps.svg.Panel': (('x', ''), ('y', ''), ('width', ''), ('height', ''), ('viewport', ''), ('outlines', ''), ('routes', ''), ('markers', ''), ('labels', ''), ('pointers', ''), ('stubs', 'default'), ('rings', 'default'), ('countries', 'default')),
    'crossing.maps.svg.Ring': (('name', ''), ('colour', ''), ('x', ''), ('y', ''), ('radius', '')),
    'crossing.maps.svg.SvgPlan': (('width', ''), ('map_h', ''), ('height', ''), ('main', ''), ('inset', ''), ('inset_source', ''), ('legend', ''), ('current_name', ''), ('caption', ''), ('ringed', 'default')),
    'crossing.model.Assignment': (('variable', ''), ('expression', ''), ('loc', 'default')),
    'crossing.model.Choice': (('text', ''), ('goto', ''), ('outcomes', 'default'), ('condition', 'default'), ('assignments', 'default'), ('loc', 'default'), ('condition_loc', 'default')),
    'crossing.model.Debrief': (('why', ''), ('context', ''), ('questions', ''), ('gentle_why', 'default'), ('gentle_context', 'default')),
    'crossing.model.Ending': (('kind', ''), ('title', ''), ('debrief', 'default'), ('loc', 'default'), ('title_given', 'default')),
    'crossing.model.EndingKind': (('id', ''), ('label', ''), ('safe', 'default')),
    'crossing.model.Fact': (('claim', ''), ('source', ''), ('loc', 'default'), ('gentle_claim', 'default')),
    'crossing.model.Location': (('file', ''), ('line', ''), ('column', '')),
    'crossing.model.Node': (('id', ''), ('text', ''), ('title', 'default'), ('route', 'default'), ('place', 'default'), ('risk', 'default'), ('facts', 'default'), ('choices', 'default'), ('ending', 'default'), ('content_warnings', 'default'), ('gentle_text', 'default'), ('loc', 'default'), ('place_loc', 'default')),
    'crossing.model.Outcome': (('weight', ''), ('goto', ''), ('assignments', 'default'), ('loc', 'default'), ('text', 'default'), ('gentle_text', 'default')),
    'crossing.model.Paragraph': (('text', ''), ('condition', 'default'), ('otherwise', 'default'), ('loc', 'default'), ('condition_loc', 'default')),
    'crossing.model.Passage': (('paragraphs', ''),),
    'crossing.model.Place': (('id', ''), ('name', ''), ('lat', ''), ('lon', ''), ('loc', 'default')),
    'crossing.model.Risk': (('level', ''), ('note', ''), ('loc', 'default')),
    'crossing.model.Route': (('id', ''), ('title', ''), ('description', 'default'), ('loc', 'default')),
    'crossing.model.Source': (('id', ''), ('title', ''), ('publisher', ''), ('year', ''), ('url', ''), ('loc', 'default'), ('gentle_title', 'default'), ('note', 'default')),
    'crossing.model.Story': (('title', ''), ('start', ''), ('root', ''), ('version', 'default'), ('description', 'default'), ('variables', 'factory'), ('sources', 'factory'), ('nodes', 'factory'), ('glossary', 'factory'), ('gentle_glossary', 'factory'), ('places', 'factory'), ('routes', 'factory'), ('ending_kinds', 'factory'), ('files', 'default'), ('digest', 'default'), ('start_loc', 'default')),
    'crossing.model.Variable': (('name', ''), ('initial', ''), ('minimum', 'default'), ('maximum', 'default'), ('label', 'default'), ('loc', 'default')),
    'crossing.persistence.Restored': (('state', ''), ('notices', '')),
    'crossing.persistence.SavedRun': (('id', ''), ('path', ''), ('scene_title', ''), ('updated', ''), ('finished', ''), ('state', ''), ('owner', 'default'), ('events', 'default'), ('sequence', 'default')),
    'crossing.playthrough.ChoiceTaken': (('step', ''), ('narration', ''), ('decision', ''), ('votes', 'default'), ('tie', 'default')),
    'crossing.playthrough.Ended': (('node', ''), ('why', ''), ('context', '')),
    'crossing.playthrough.SceneShown': (('node', ''), ('text', ''), ('offered', ''), ('narration', '')),
    'crossing.playthrough.WentBack': (('step', ''),),
    'crossing.report.counting.ChoiceCount': (('index', ''), ('text', ''), ('count', ''), ('hands', '')),
    'crossing.report.counting.CitedFact': (('claim', ''), ('citation', ''), ('url', '')),
    'crossing.report.counting.Decision': (('node', ''), ('title', ''), ('choices', ''), ('route', 'default')),
    'crossing.report.counting.EndingRow': (('node', ''), ('title', ''), ('kind', ''), ('kind_label', ''), ('safe', ''), ('count', ''), ('random_play', ''), ('facts', ''), ('questions', 'default')),
    'crossing.report.counting.RandomPlay': (('endings', ''), ('exact', '')),
    'crossing.report.counting.Skipped': (('path', ''), ('reason', '')),
    'crossing.report.counting.Student': (('name', ''), ('finished', ''), ('ending', ''), ('ending_node', ''), ('kind', ''), ('kind_label', ''), ('decisions', ''), ('minutes', ''), ('mode', 'default'), ('file', 'default'), ('route', 'default')),
    'crossing.report.files.Refused': (('path', ''), ('reason', '')),
    'crossing.rules.Rule': (('uid', ''), ('index', ''), ('text', ''), ('condition', ''), ('condition_source', ''), ('condition_where', ''), ('assigns', ''), ('targets', ''), ('cumulative', ''), ('total', ''), ('outcome_assigns', ''), ('probabilities', '')),
    'crossing.rules.Rules': (('start', ''), ('names', ''), ('initial', ''), ('scenes', '')),
    'crossing.rules.RuntimeProblem': (('node', ''), ('expression', ''), ('where', ''), ('message', '')),
    'crossing.rules.Scene': (('id', ''), ('ending_kind', ''), ('rules', ''), ('unconditional', '')),
    'crossing.serve.room.RoomView': (('students', ''), ('endings', ''), ('active', ''), ('finished', '')),
    'crossing.serve.room.StudentView': (('number', ''), ('name', ''), ('life', ''), ('scene', ''), ('route', ''), ('steps', ''), ('ending', ''), ('safe', ''), ('idle', '')),
    'crossing.state.StoryIdentity': (('title', ''), ('version', ''), ('digest', ''), ('root', '')),
    'crossing.textlint._Condition': (('node', ''), ('expression', ''), ('loc', '')),
    'crossing.transcript.records.DebriefRecord': (('why', ''), ('context', ''), ('questions', '')),
    'crossing.transcript.records.EndingRecord': (('node', ''), ('kind', ''), ('kind_label', ''), ('title', ''), ('safe', ''), ('text', ''), ('debrief', 'default'), ('at', 'default')),
    'crossing.transcript.records.FactRecord': (('claim', ''), ('source', ''), ('citation', ''), ('url', 'default')),
    'crossing.transcript.records.SceneRecord': (('node', ''), ('title', ''), ('text', ''), ('after_steps', ''), ('facts', 'default')),
    'crossing.transcript.records.VoteCount': (('number', ''), ('choice_index', ''), ('text', ''), ('hands', '')),
    'crossing.votes.Vote': (('winner', ''), ('hands', ''), ('tie', 'default')),
}

FACTORIES: dict[str, Callable[[Any, Any], Any]] = {
    'crossing.analysis.core.Budget': crossing_analysis_core_Budget,
    'crossing.analysis.explore.Limits': crossing_analysis_explore_Limits,
    'crossing.analysis.result.RouteOdds': crossing_analysis_result_RouteOdds,
    'crossing.analysis.result.StrategyStep': crossing_analysis_result_StrategyStep,
    'crossing.diagnostics.Diagnostic': crossing_diagnostics_Diagnostic,
    'crossing.diagnostics.Validation': crossing_diagnostics_Validation,
    'crossing.engine.OfferedChoice': crossing_engine_OfferedChoice,
    'crossing.engine.RunSummary': crossing_engine_RunSummary,
    'crossing.expressions.Binary': crossing_expressions_Binary,
    'crossing.expressions.Expression': crossing_expressions_Expression,
    'crossing.expressions.Literal_': crossing_expressions_Literal_,
    'crossing.expressions.Name': crossing_expressions_Name,
    'crossing.expressions.TypeProblem': crossing_expressions_TypeProblem,
    'crossing.expressions.Unary': crossing_expressions_Unary,
    'crossing.expressions.Visited': crossing_expressions_Visited,
    'crossing.expressions._Token': crossing_expressions__Token,
    'crossing.graph.Edge': crossing_graph_Edge,
    'crossing.guide.Bold': crossing_guide_Bold,
    'crossing.guide.Bullets': crossing_guide_Bullets,
    'crossing.guide.Code': crossing_guide_Code,
    'crossing.guide.Em': crossing_guide_Em,
    'crossing.guide.Grid': crossing_guide_Grid,
    'crossing.guide.Heading': crossing_guide_Heading,
    'crossing.guide.Lines': crossing_guide_Lines,
    'crossing.guide.Link': crossing_guide_Link,
    'crossing.guide.MapSlot': crossing_guide_MapSlot,
    'crossing.guide.PageBreak': crossing_guide_PageBreak,
    'crossing.guide.Para': crossing_guide_Para,
    'crossing.guide.RunLengths': crossing_guide_RunLengths,
    'crossing.guide.Terms': crossing_guide_Terms,
    'crossing.guide.Toc': crossing_guide_Toc,
    'crossing.journeys.Journey': crossing_journeys_Journey,
    'crossing.keys.Choose': crossing_keys_Choose,
    'crossing.keys.Do': crossing_keys_Do,
    'crossing.keys.Invalid': crossing_keys_Invalid,
    'crossing.maps.canvas.MapCell': crossing_maps_canvas_MapCell,
    'crossing.maps.countries.Country': crossing_maps_countries_Country,
    'crossing.maps.countries.CountryGrid': crossing_maps_countries_CountryGrid,
    'crossing.maps.countries.GridSpot': crossing_maps_countries_GridSpot,
    'crossing.maps.distance.Leg': crossing_maps_distance_Leg,
    'crossing.maps.distance.MapPlace': crossing_maps_distance_MapPlace,
    'crossing.maps.distance.MapRoute': crossing_maps_distance_MapRoute,
    'crossing.maps.glyphs.Glyphs': crossing_maps_glyphs_Glyphs,
    'crossing.maps.labels.LabelRequest': crossing_maps_labels_LabelRequest,
    'crossing.maps.labels.PlacedLabel': crossing_maps_labels_PlacedLabel,
    'crossing.maps.layout.LegendEntry': crossing_maps_layout_LegendEntry,
    'crossing.maps.layout.MapLabel': crossing_maps_layout_MapLabel,
    'crossing.maps.pointers.Pointer': crossing_maps_pointers_Pointer,
    'crossing.maps.projection.Projection': crossing_maps_projection_Projection,
    'crossing.maps.projection.Viewport': crossing_maps_projection_Viewport,
    'crossing.maps.region.Outline': crossing_maps_region_Outline,
    'crossing.maps.region.Region': crossing_maps_region_Region,
    'crossing.maps.svg.Marker': crossing_maps_svg_Marker,
    'crossing.maps.svg.Panel': crossing_maps_svg_Panel,
    'crossing.maps.svg.Ring': crossing_maps_svg_Ring,
    'crossing.maps.svg.SvgPlan': crossing_maps_svg_SvgPlan,
    'crossing.model.Assignment': crossing_model_Assignment,
    'crossing.model.Choice': crossing_model_Choice,
    'crossing.model.Debrief': crossing_model_Debrief,
    'crossing.model.Ending': crossing_model_Ending,
    'crossing.model.EndingKind': crossing_model_EndingKind,
    'crossing.model.Fact': crossing_model_Fact,
    'crossing.model.Location': crossing_model_Location,
    'crossing.model.Node': crossing_model_Node,
    'crossing.model.Outcome': crossing_model_Outcome,
    'crossing.model.Paragraph': crossing_model_Paragraph,
    'crossing.model.Passage': crossing_model_Passage,
    'crossing.model.Place': crossing_model_Place,
    'crossing.model.Risk': crossing_model_Risk,
    'crossing.model.Route': crossing_model_Route,
    'crossing.model.Source': crossing_model_Source,
    'crossing.model.Story': crossing_model_Story,
    'crossing.model.Variable': crossing_model_Variable,
    'crossing.persistence.Restored': crossing_persistence_Restored,
    'crossing.persistence.SavedRun': crossing_persistence_SavedRun,
    'crossing.playthrough.ChoiceTaken': crossing_playthrough_ChoiceTaken,
    'crossing.playthrough.Ended': crossing_playthrough_Ended,
    'crossing.playthrough.SceneShown': crossing_playthrough_SceneShown,
    'crossing.playthrough.WentBack': crossing_playthrough_WentBack,
    'crossing.report.counting.ChoiceCount': crossing_report_counting_ChoiceCount,
    'crossing.report.counting.CitedFact': crossing_report_counting_CitedFact,
    'crossing.report.counting.Decision': crossing_report_counting_Decision,
    'crossing.report.counting.EndingRow': crossing_report_counting_EndingRow,
    'crossing.report.counting.RandomPlay': crossing_report_counting_RandomPlay,
    'crossing.report.counting.Skipped': crossing_report_counting_Skipped,
    'crossing.report.counting.Student': crossing_report_counting_Student,
    'crossing.report.files.Refused': crossing_report_files_Refused,
    'crossing.rules.Rule': crossing_rules_Rule,
    'crossing.rules.Rules': crossing_rules_Rules,
    'crossing.rules.RuntimeProblem': crossing_rules_RuntimeProblem,
    'crossing.rules.Scene': crossing_rules_Scene,
    'crossing.serve.room.RoomView': crossing_serve_room_RoomView,
    'crossing.serve.room.StudentView': crossing_serve_room_StudentView,
    'crossing.state.StoryIdentity': crossing_state_StoryIdentity,
    'crossing.textlint._Condition': crossing_textlint__Condition,
    'crossing.transcript.records.DebriefRecord': crossing_transcript_records_DebriefRecord,
    'crossing.transcript.records.EndingRecord': crossing_transcript_records_EndingRecord,
    'crossing.transcript.records.FactRecord': crossing_transcript_records_FactRecord,
    'crossing.transcript.records.SceneRecord': crossing_transcript_records_SceneRecord,
    'crossing.transcript.records.VoteCount': crossing_transcript_records_VoteCount,
    'crossing.votes.Vote': crossing_votes_Vote,
}
