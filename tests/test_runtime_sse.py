"""The incremental SSE decoder, fed the same bytes cut in every possible way."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime._streaming import SSEDecoder, ServerSentEvent


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    return events


# Multi-byte UTF-8 (2, 3 and 4 bytes), U+2028 inside JSON, every line ending,
# a comment, a multi-line data field, id and retry fields.
SAMPLE = (
    b": keep-alive comment\r\n"
    b"event: message_start\r\n"
    + 'data: {"text": "h\u00e9llo \u4e16\u754c \U0001f600 \u2028"}\r\n'.encode()
    + b"\r\n"
    b"event: content_block_delta\n"
    b"id: 7\n"
    b"data: first line\n"
    b"data: second line\n"
    b"\n"
    b"event: ping\r"
    b"retry: 1500\r"
    b"data:no-space\r"
    b"\r"
    b"data: \r\n"
    b"\r\n"
)

EXPECTED = [
    ServerSentEvent(
        event="message_start", data='{"text": "h\u00e9llo \u4e16\u754c \U0001f600 \u2028"}'
    ),
    ServerSentEvent(event="content_block_delta", data="first line\nsecond line", id="7"),
    ServerSentEvent(event="ping", data="no-space", id="7", retry=1500),
    ServerSentEvent(event=None, data="", id="7", retry=1500),
]


def test_sample_in_one_chunk() -> None:
    assert decode(SAMPLE) == EXPECTED


def test_sample_byte_by_byte() -> None:
    assert decode(*(SAMPLE[i : i + 1] for i in range(len(SAMPLE)))) == EXPECTED


@pytest.mark.parametrize("cut", range(len(SAMPLE) + 1))
def test_sample_cut_at_every_offset(cut: int) -> None:
    assert decode(SAMPLE[:cut], SAMPLE[cut:]) == EXPECTED


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(SAMPLE)), max_size=12))
def test_sample_cut_anywhere_many_times(cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(SAMPLE)]
    chunks = [SAMPLE[a:b] for a, b in zip(points, points[1:])]
    assert decode(*chunks) == EXPECTED


_line_end = st.sampled_from(["\n", "\r", "\r\n"])
_text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=20
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b_c", "ping"]), st.lists(_text, min_size=1, max_size=3)),
        max_size=5,
    ),
    _line_end,
    st.data(),
)
def test_round_trip_of_generated_events(
    events: list[tuple[str, list[str]]], end: str, data: st.DataObject
) -> None:
    wire = "".join(
        f"event: {name}{end}" + "".join(f"data: {line}{end}" for line in lines) + end
        for name, lines in events
    ).encode()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(wire)), max_size=8)))
    points = [0, *cuts, len(wire)]
    got = decode(*(wire[a:b] for a, b in zip(points, points[1:])))
    assert [(e.event, e.data) for e in got] == [(name, "\n".join(lines)) for name, lines in events]


def test_crlf_split_between_cr_and_lf_is_one_line_end() -> None:
    # A CR at the end of a chunk followed by LF must not count as two line ends
    # (which would dispatch an empty event boundary too early).
    assert decode(b"data: a\r", b"\ndata: b\r\n\r\n") == [ServerSentEvent(data="a\nb")]


def test_empty_chunk_between_cr_and_lf() -> None:
    assert decode(b"data: a\r", b"", b"\n\n") == [ServerSentEvent(data="a")]


def test_bare_cr_then_data_is_not_swallowed() -> None:
    assert decode(b"data: a\r", b"data: b\r\r") == [ServerSentEvent(data="a\nb")]


def test_event_without_data_is_not_dispatched() -> None:
    assert decode(b"event: lonely\n\nid: 3\n\ndata: x\n\n") == [ServerSentEvent(data="x", id="3")]


def test_incomplete_event_at_eof_is_pending_not_dispatched() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b'event: a\ndata: {"half": ') == []
    assert decoder.pending


def test_field_without_colon_and_unknown_fields() -> None:
    assert decode(b"data\nfoo: bar\ndata: x\n\n") == [ServerSentEvent(data="\nx")]


def test_only_one_leading_space_is_stripped() -> None:
    assert decode(b"data:  two\n\n") == [ServerSentEvent(data=" two")]


def test_leading_bom_is_ignored() -> None:
    assert decode(b"\xef\xbb", b"\xbfdata: x\n\n") == [ServerSentEvent(data="x")]


def test_invalid_retry_and_id_with_nul_are_ignored() -> None:
    got = decode(b"retry: 12a\nid: a\x00b\ndata: x\n\n")
    assert got == [ServerSentEvent(data="x")]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert decode(b"data: \xff\n\n") == [ServerSentEvent(data="\ufffd")]


def test_large_json_in_many_tiny_chunks() -> None:
    payload = json.dumps({"text": "\u00e9" * 5000})
    wire = f"event: big\ndata: {payload}\n\n".encode()
    got = decode(*(wire[i : i + 7] for i in range(0, len(wire), 7)))
    assert got == [ServerSentEvent(event="big", data=payload)]


def test_an_empty_data_line_starts_an_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: a\ndata:\n") == []
    assert decoder.pending
    assert decoder.feed(b"\n") == [ServerSentEvent(event="a", data="")]
    assert not decoder.pending


def test_event_names_with_and_without_a_space_and_empty() -> None:
    wire = b"event:x\ndata: 1\n\nevent: \ndata: 2\n\nevent\ndata: 3\n\n"
    assert [(e.event, e.data) for e in decode(wire)] == [("x", "1"), (None, "2"), (None, "3")]


def test_a_truncated_character_at_a_line_end_is_replaced_in_its_own_line() -> None:
    # The lines of a chunk are decoded together: still one U+FFFD, and the LF stays a line end.
    assert decode(b"data: \xe4\xb8\ndata: x\xe4\n\n") == [ServerSentEvent(data="\ufffd\nx\ufffd")]


# Chunks that each hold one whole event, as a live stream sends them. The first
# three take the decoder's short way; the rest look alike and must not.
WHOLE_EVENTS = [
    'event: content_block_delta\ndata: {"t": "h\u00e9 \u4e16 \U0001f600 \u2028"}\n\n'.encode(),
    b"event: d\ndata: \xff{\xe4\xb8\n\n",
    b"event: \xe4\xb8\x96\ndata: y\n\n",
    b"event: \ndata: x\n\n",
    b"event: a\ndata: 1\ndata: 2\n\n",
    b"event: a\rdata: 1\n\n",
    b"event: a\ndata: 1\r\n\n",
    b"event: a\nid: 3\n\n",
    b"event: a\ndata:1\n\n",
]


@pytest.mark.parametrize("chunk", WHOLE_EVENTS)
def test_a_chunk_of_one_whole_event_gives_what_its_bytes_in_pieces_give(chunk: bytes) -> None:
    first = b"event: first\ndata: 0\n\n"  # the short way is never the first line's
    pieces = [chunk[i : i + 5] for i in range(0, len(chunk), 5)]
    assert decode(first, chunk, chunk) == decode(first, *pieces, *pieces)


def test_the_short_way_is_taken() -> None:
    # What the test above compares must include the short way: its data is still bytes.
    decoder = SSEDecoder()
    decoder.decode(b"event: first\ndata: 0\n\n")
    taken = [isinstance(decoder.decode(chunk)[0][0], bytes) for chunk in WHOLE_EVENTS[:4]]
    assert taken == [True, True, True, True]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(SAMPLE)), max_size=12))
def test_decode_gives_the_fields_of_feed(cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(SAMPLE)]
    chunks = [SAMPLE[a:b] for a, b in zip(points, points[1:])]
    fed, decoded = SSEDecoder(), SSEDecoder()
    for chunk in chunks:
        events = fed.feed(chunk)
        assert decoded.decode(chunk) == [(e.data, e.event, e.id, e.retry) for e in events]
