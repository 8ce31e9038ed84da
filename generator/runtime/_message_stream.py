"""``client.messages.stream(...)``: stream events and accumulate the final message.

::

    with client.messages.stream(model=..., max_tokens=..., messages=...) as stream:
        for text in stream.text_stream:
            print(text, end="", flush=True)
        message = stream.get_final_message()

The accumulator works on the JSON objects the events were parsed from, not on
the models: appending to a ``str`` in a dict is cheap, and the final message is
validated once, at the end, by the generated ``Message`` model. Tool input
arrives as JSON text in pieces; it is parsed when its block stops, strictly, so
a malformed input is reported rather than silently truncated.

Beside the API's own events the helper yields the official SDK's: after a
``content_block_delta`` comes a ``text``, ``input_json``, ``citation``,
``thinking`` or ``signature`` event with the delta and the block's state so
far; ``content_block_stop`` carries the finished ``content_block`` and
``message_stop`` the final ``message``. ``ping`` never reaches it (the stream
drops it); an event newer than this client passes through as it arrives.
"""

from __future__ import annotations

import json
from types import SimpleNamespace, TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Union,
    get_args,
    get_origin,
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Generic,
    Iterator,
    TypeVar,
)

import httpx
import pydantic
from typing_extensions import Self

from ._errors import APIResponseValidationError
from ._models import BaseModel
from ._response import describe_validation_error, validator
from ._streaming import AsyncStream, Stream

__all__ = [
    "AsyncMessageStream",
    "CitationEvent",
    "ContentBlockStopEvent",
    "InputJsonEvent",
    "MessageStopEvent",
    "MessageStreamEvent",
    "SignatureEvent",
    "TextEvent",
    "ThinkingEvent",
    "AsyncMessageStreamManager",
    "MessageAccumulator",
    "MessageStream",
    "MessageStreamManager",
]

_E = TypeVar("_E")
_M = TypeVar("_M", bound="pydantic.BaseModel")
_B = TypeVar("_B")
_T = TypeVar("_T")

_Raw = dict[str, Any]

_NEEDS_MESSAGE = frozenset(
    {
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    }
)


class MessageAccumulator:
    """Builds the message, as a JSON object, from the raw stream events.

    The text of a text block (the thinking of a thinking block) is kept in
    ``texts`` (``thinking``) as it arrives and written into ``message`` by
    ``flush()``, which ``snapshot()`` and ``build()`` call: read ``message``
    directly only after one of them.
    """

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.message: _Raw | None = None
        # block index -> the input JSON so far. One growing string, not a list of
        # pieces: each ``input_json`` event needs the whole text for its snapshot.
        self._tool_json: dict[int, str] = {}
        # block index -> the text of a text block, as the pieces it arrived in:
        # appending is cheap, and the whole text is joined only when someone
        # reads it (``flush``, a ``TextEvent``'s ``snapshot``).
        self.texts: dict[int, _Text] = {}
        # The same for the thinking of a thinking block.
        self.thinking: dict[int, _Text] = {}

    def flush(self) -> None:
        """Write the text of every text block into ``message``, as far as it has arrived."""
        if self.message is not None:
            content = self.message["content"]
            for index, text in self.texts.items():
                content[index]["text"] = text.upto(len(text))
            for index, text in self.thinking.items():
                content[index]["thinking"] = text.upto(len(text))

    def add(self, event: _Raw) -> None:
        kind = event.get("type")
        if kind == "message_start":
            self.message = _copy_message(event["message"])
            return
        message = self.message
        if message is None:
            if kind in _NEEDS_MESSAGE:
                raise self._error(f"{kind} event before message_start")
            return
        content: list[_Raw] = message["content"]
        if kind == "content_block_start":
            block = _copy_block(event["content_block"])
            content.append(block)
            block_kind = block.get("type")
            if block_kind == "text" and isinstance(block.get("text"), str):
                self.texts[len(content) - 1] = _Text(block["text"])
            elif block_kind == "thinking" and isinstance(block.get("thinking"), str):
                self.thinking[len(content) - 1] = _Text(block["thinking"])
        elif kind == "content_block_delta":
            self._delta(content, event["index"], event["delta"])
        elif kind == "content_block_stop":
            self._finish_input(content, event["index"])
        elif kind == "message_delta":
            message.update(event.get("delta") or {})
            usage = event.get("usage")
            if isinstance(usage, dict):
                merged = dict(message.get("usage") or {})
                merged.update((key, value) for key, value in usage.items() if value is not None)
                message["usage"] = merged
        elif kind == "message_stop":
            for index in list(self._tool_json):
                self._finish_input(content, index)
        # Anything else (ping, events newer than this client) changes nothing.

    def add_delta(self, index: int, delta: Any) -> _Raw:
        """Accumulate a ``content_block_delta`` given as its parsed model; the block it changed.

        The helper's path for the events that make up nearly all of a stream:
        their fields are read off the model the stream already parsed, instead
        of parsing the JSON a second time into a dict for ``add``.
        """
        message = self.message
        if message is None:
            raise self._error("content_block_delta event before message_start")
        content: list[_Raw] = message["content"]
        try:
            block = content[index]
        except IndexError:
            raise self._error(f"content_block_delta for unknown block {index}") from None
        kind = getattr(delta, "type", None)
        if kind == "text_delta":
            self._add_piece(self.texts, block, index, "text", delta.text)
        elif kind == "input_json_delta":
            self._tool_json[index] = self._tool_json.get(index, "") + delta.partial_json
        elif kind == "thinking_delta":
            self._add_piece(self.thinking, block, index, "thinking", delta.thinking)
        elif kind == "signature_delta":
            block["signature"] = delta.signature
        elif kind == "citations_delta":
            citations = block.get("citations")
            if not isinstance(citations, list):
                citations = block["citations"] = []
            citations.append(_dump(delta.citation))
        return block

    def _delta(self, content: list[_Raw], index: int, delta: _Raw) -> None:
        try:
            block = content[index]
        except IndexError:
            raise self._error(f"content_block_delta for unknown block {index}") from None
        kind = delta.get("type")
        if kind == "text_delta":
            self._add_piece(self.texts, block, index, "text", delta["text"])
        elif kind == "input_json_delta":
            self._tool_json[index] = self._tool_json.get(index, "") + delta["partial_json"]
        elif kind == "thinking_delta":
            self._add_piece(self.thinking, block, index, "thinking", delta["thinking"])
        elif kind == "signature_delta":
            block["signature"] = delta["signature"]
        elif kind == "citations_delta":
            citations = block.get("citations")
            if not isinstance(citations, list):
                citations = block["citations"] = []
            citations.append(delta["citation"])

    @staticmethod
    def _add_piece(
        pieces_of: dict[int, _Text], block: _Raw, index: int, field: str, piece: str
    ) -> None:
        pieces = pieces_of.get(index)
        if pieces is None:  # text or thinking in a block that did not start as one
            block[field] = block.get(field, "") + piece
        else:
            pieces.append(piece)

    def _finish_input(self, content: list[_Raw], index: int) -> None:
        text = self._tool_json.pop(index, None)
        if text is None:
            return
        try:
            content[index]["input"] = json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise self._error(
                f"tool input of content block {index} is not valid JSON ({exc})"
            ) from exc

    def snapshot(self) -> _Raw:
        """The message so far, with in-progress tool input parsed as far as it goes."""
        if self.message is None:
            raise RuntimeError("no message_start event has arrived yet")
        self.flush()
        if not self._tool_json:
            return self.message
        content = list(self.message["content"])
        for index in self._tool_json:
            content[index] = {**content[index], "input": self.partial_input(index)}
        return {**self.message, "content": content}

    def partial_input(self, index: int) -> object:
        """The tool input of block ``index`` so far, parsed as far as it goes."""
        text = self._tool_json.get(index, "")
        if not text.strip():
            return {}
        from pydantic_core import from_json  # loaded by the models already

        try:
            return from_json(text, allow_partial=True)
        except ValueError:
            return {}

    def build(self, message_type: type[_M]) -> _M:
        parser = validator(message_type)
        try:
            built: _M = parser.validate_python(self.snapshot())
        except parser.error as exc:
            raise APIResponseValidationError(
                describe_validation_error(exc, message_type), response=self._response
            ) from exc
        return built

    def _error(self, message: str) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"malformed message stream: {message}", response=self._response
        )


def _dump(model: Any) -> Any:
    # What the server sent, with wire names, as the accumulator's dicts hold it.
    dump = getattr(model, "model_dump", None)
    return model if dump is None else dump(by_alias=True, exclude_unset=True)


def _copy_message(message: _Raw) -> _Raw:
    # Copies, so accumulating never writes into the event objects handed out.
    copied = dict(message)
    copied["content"] = [_copy_block(block) for block in message.get("content") or []]
    if isinstance(message.get("usage"), dict):
        copied["usage"] = dict(message["usage"])
    return copied


def _copy_block(block: _Raw) -> _Raw:
    copied = dict(block)
    if isinstance(block.get("citations"), list):
        copied["citations"] = list(block["citations"])
    return copied


class _Text(list):  # type: ignore[type-arg]
    """The text of one block as the pieces it arrived in, and the longest prefix joined so far."""

    # (text, pieces in it), one attribute: read and replaced whole, so events
    # resolved from two threads at once never see a text and a count that
    # do not belong together.
    __slots__ = ("prefix",)

    def __init__(self, start: str) -> None:
        super().__init__((start,))
        self.prefix = (start, 1)

    def __repr__(self) -> str:
        # Seen in the ``__dict__`` of a text event not yet resolved: not the whole text.
        return f"<text in {len(self)} pieces>"

    def upto(self, count: int) -> str:
        """The first ``count`` pieces, joined."""
        joined, done = self.prefix
        if count == done:
            return joined
        if count < done:  # an older event, read after a newer one
            return "".join(self[:count])
        # Read in order, each event copies the text once, as building it did.
        joined += "".join(self[done:count])
        self.prefix = (joined, count)
        return joined


class _SnapshotEvent(BaseModel):
    """An event with a ``snapshot`` of its block's text so far, joined when first needed.

    The helper makes one after every text (or thinking) delta, and most callers
    never read ``snapshot``: it is joined from the block's pieces when first
    read (or when the event is printed, compared, dumped, copied or pickled),
    so a stream does not copy its whole text once per delta. Until then the
    pieces wait in ``__dict__`` under a name that is not a field
    (``_PENDING``), and the model's three slots (fields set, extra fields,
    private attributes) are not set: what reads one of them lands in
    ``__getattr__``, which fills in all of it. Nothing else of the model differs.
    """

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            self._resolve()
            fields = self.__dict__
            if name == "snapshot" and name in fields:
                return fields[name]
            return super().__getattr__(name)

    def _resolve(self) -> None:
        fields = self.__dict__
        pending = fields.get(_PENDING)
        if pending is not None:
            pieces, count = pending
            if "snapshot" not in fields:  # not assigned by the caller meanwhile
                fields["snapshot"] = pieces.upto(count)
            _set_fields(self, set(type(self).__pydantic_fields__))
            _set_extra(self, {})
            _set_private(self, None)
            # Last: a thread that resolves the event at the same time finds
            # either all of it done or the pending entry still there.
            fields.pop(_PENDING, None)

    @pydantic.model_serializer(mode="wrap")
    def _serialize(self, handler: pydantic.SerializerFunctionWrapHandler) -> Any:
        self._resolve()
        return handler(self)

    def __repr_args__(self) -> Any:
        self._resolve()
        return super().__repr_args__()

    def __eq__(self, other: object) -> bool:
        self._resolve()
        if isinstance(other, _SnapshotEvent):
            other._resolve()
        return super().__eq__(other)

    def __iter__(self) -> Any:
        self._resolve()
        return super().__iter__()

    def __copy__(self) -> Self:
        self._resolve()
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        self._resolve()
        return super().__deepcopy__(memo)

    def __getstate__(self) -> dict[Any, Any]:
        self._resolve()
        return super().__getstate__()


class TextEvent(_SnapshotEvent):
    """A piece of text (``text``) and the whole text of its block so far (``snapshot``)."""

    type: Literal["text"]
    text: str
    snapshot: str


class CitationEvent(BaseModel):
    """A citation added to a text block, and all of that block's citations so far."""

    type: Literal["citation"]
    citation: Any
    snapshot: list[Any]


class ThinkingEvent(_SnapshotEvent):
    """A piece of thinking, and the block's thinking so far."""

    type: Literal["thinking"]
    thinking: str
    snapshot: str


class SignatureEvent(BaseModel):
    """The signature of a thinking block."""

    type: Literal["signature"]
    signature: str


class InputJsonEvent(BaseModel):
    """A piece of a tool's input JSON, and the input so far, parsed as far as it goes."""

    type: Literal["input_json"]
    partial_json: str
    snapshot: object


class MessageStopEvent(BaseModel, Generic[_M]):
    """The end of the message, with the whole ``message``."""

    type: Literal["message_stop"]
    message: _M


class ContentBlockStopEvent(BaseModel, Generic[_B]):
    """The end of content block ``index``, with the finished ``content_block``."""

    type: Literal["content_block_stop"]
    index: int
    content_block: _B


MessageStreamEvent = Union[
    _E,
    TextEvent,
    CitationEvent,
    ThinkingEvent,
    SignatureEvent,
    InputJsonEvent,
    MessageStopEvent[_M],
    ContentBlockStopEvent[_B],
]
"""What the helper yields: the API's events (``_E``, without ``ping`` and the two
stop events) and the helper's own, which the ``type`` tells apart."""


def _make(cls: type[_T], fields: dict[str, Any]) -> _T:
    # What ``model_construct`` does, without its per-call bookkeeping: these
    # values come from parsed events, so there is nothing to validate. One
    # event of this kind is made for nearly every event of the stream.
    made = cls.__new__(cls)
    _set(made, "__dict__", fields)
    _set(made, "__pydantic_fields_set__", set(fields))
    _set(made, "__pydantic_extra__", {})  # as validating a model with extra="allow" sets it
    _set(made, "__pydantic_private__", None)
    return made


_set = object.__setattr__
_new = object.__new__
# The slots of every pydantic model, written without ``object.__setattr__``'s
# lookup of the name.
_set_fields = pydantic.BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = pydantic.BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = pydantic.BaseModel.__dict__["__pydantic_private__"].__set__


# Where a text or thinking event made by the helper keeps its pieces until it is resolved.
_PENDING = "_pending_snapshot"
_S = TypeVar("_S", bound=_SnapshotEvent)


def _snapshot_event(cls: type[_S], kind: str, name: str, value: str, pieces: _Text) -> _S:
    # The event of the last of ``pieces`` (``value``), its snapshot and its
    # slots left to ``_SnapshotEvent._resolve``. ``MessageStream._iterate`` has
    # a copy of these lines for text. Filling the new ``__dict__`` in place
    # costs less than setting one.
    made = _new(cls)
    fields = made.__dict__
    fields["type"] = kind
    fields[name] = value
    fields[_PENDING] = (pieces, len(pieces))
    return made


def _tag_of(cls: type[Any]) -> str | None:
    """The one value a model class allows in its ``type`` field, if it allows only one."""
    fields = getattr(cls, "__pydantic_fields__", None)
    field = fields.get("type") if isinstance(fields, dict) else None
    if field is None or field.metadata:  # metadata: ``OpenEnum`` lets other values in
        return None
    args = get_args(field.annotation)
    if get_origin(field.annotation) is not Literal or len(args) != 1:
        return None
    return args[0] if isinstance(args[0], str) else None


def _final_text(message: _Raw) -> str:
    blocks = message.get("content") or []
    texts = [block["text"] for block in blocks if block.get("type") == "text"]
    if not texts:
        kinds = ", ".join(str(block.get("type")) for block in blocks) or "none"
        raise RuntimeError(f"the message has no text block (content blocks: {kinds})")
    return "".join(texts)


class _MessageStreamBase(Generic[_E, _M, _B]):
    def __init__(self, response: httpx.Response, message_type: type[_M]) -> None:
        self.response = response
        self._message_type = message_type
        self._accumulator = MessageAccumulator(response)
        self._final: _M | None = None
        self._citations: dict[int, list[Any]] = {}
        self._block_parser: Any = None
        self._texts = self._accumulator.texts
        # The classes of a text delta event and of its delta, once one has been
        # seen (``_learn``); until then no class matches.
        self._delta_class: type[Any] | None = None
        self._text_class: type[Any] | None = None

    @property
    def request_id(self) -> str | None:
        request_id: str | None = self.response.headers.get("request-id")
        return request_id

    @property
    def current_message_snapshot(self) -> _M:
        """The message accumulated so far, as a model."""
        return self._accumulator.build(self._message_type)

    def _final_message(self) -> _M:
        if self._final is None:
            self._final = self._accumulator.build(self._message_type)
        return self._final

    def _events(self, event: Any) -> tuple[Any, ...]:
        """The events to hand out for one API event, after accumulating it."""
        # Most of a stream: a text delta, told by its class alone (see ``_learn``).
        # ``MessageStream._iterate`` has its own copy of this case.
        if type(event) is self._delta_class:
            fields = event.__dict__
            delta = fields["delta"]
            if type(delta) is self._text_class:
                pieces = self._texts.get(fields["index"])
                if pieces is not None:
                    text = delta.text
                    pieces.append(text)
                    return (event, _snapshot_event(TextEvent, "text", "text", text, pieces))
        return self._other(event)

    def _other(self, event: Any) -> tuple[Any, ...]:
        """``_events`` for everything but a text delta of a known class."""
        kind = getattr(event, "type", None)
        if kind == "content_block_delta":
            delta = event.delta
            if isinstance(delta, dict):  # an event model that keeps its delta as JSON
                delta = SimpleNamespace(**delta)
            block = self._accumulator.add_delta(event.index, delta)
            extra = self._delta_event(event.index, delta, block)
            if self._delta_class is None and type(extra) is TextEvent:
                self._learn(event, delta)
            return (event,) if extra is None else (event, extra)
        self._accumulator.add(_dump(event))
        if kind == "content_block_stop":
            index = event.index
            fields = {"type": kind, "index": index, "content_block": self._block(index)}
            return (_make(ContentBlockStopEvent, fields),)
        elif kind == "message_stop":
            return (_make(MessageStopEvent, {"type": kind, "message": self._final_message()}),)
        return (event,)

    def _learn(self, event: Any, delta: Any) -> None:
        # From now on an event of this class with a delta of that class is a text
        # delta: ``type(...) is`` tells it, instead of reading two ``type`` fields.
        # True only of classes whose ``type`` field allows that one tag.
        event_class, delta_class = type(event), type(delta)
        if _tag_of(event_class) == "content_block_delta" and _tag_of(delta_class) == "text_delta":
            self._delta_class, self._text_class = event_class, delta_class

    def _delta_event(self, index: int, delta: Any, block: _Raw) -> Any:
        kind = getattr(delta, "type", None)
        if kind == "text_delta":
            pieces = self._texts.get(index)
            if pieces is not None:
                return _snapshot_event(TextEvent, "text", "text", delta.text, pieces)
            return _make(TextEvent, {"type": "text", "text": delta.text, "snapshot": block["text"]})
        if kind == "input_json_delta":
            return _make(
                InputJsonEvent,
                {
                    "type": "input_json",
                    "partial_json": delta.partial_json,
                    "snapshot": self._accumulator.partial_input(index),
                },
            )
        if kind == "thinking_delta":
            pieces = self._accumulator.thinking.get(index)
            if pieces is not None:
                thinking = delta.thinking
                return _snapshot_event(ThinkingEvent, "thinking", "thinking", thinking, pieces)
            return _make(
                ThinkingEvent,
                {
                    "type": "thinking",
                    "thinking": delta.thinking,
                    "snapshot": block["thinking"],
                },
            )
        if kind == "signature_delta":
            return _make(SignatureEvent, {"type": "signature", "signature": delta.signature})
        if kind == "citations_delta":
            seen = self._citations.setdefault(index, [])
            seen.append(delta.citation)
            return _make(
                CitationEvent,
                {
                    "type": "citation",
                    "citation": delta.citation,
                    "snapshot": list(seen),
                },
            )
        return None

    def _block(self, index: int) -> Any:
        """Content block ``index`` as a model of the message's own block type."""
        self._accumulator.flush()
        block = self._accumulator.message["content"][index]  # type: ignore[index]
        if self._block_parser is None:
            self._block_parser = _block_validator(self._message_type)
        if self._block_parser is False:
            return block
        try:
            return self._block_parser.validate_python(block)
        except self._block_parser.error as exc:
            raise APIResponseValidationError(
                describe_validation_error(exc, "content block"), response=self.response
            ) from exc


def _block_validator(message_type: type[Any]) -> Any:
    # The item type of the message's ``content`` list; False when the model has none.
    validator(message_type)  # builds a deferred model, so its fields are resolved
    field = getattr(message_type, "model_fields", {}).get("content")
    args = get_args(field.annotation) if field is not None else ()
    return validator(args[0]) if args else False


class MessageStream(_MessageStreamBase[_E, _M, _B]):
    """The events of one streamed message, accumulated as they pass.

    ``for event in stream``, ``stream.text_stream`` and ``get_final_message()``
    share one position: each continues where the others stopped.
    """

    def __init__(self, stream: Stream[Any], *, message_type: type[_M]) -> None:
        super().__init__(stream.response, message_type)
        self._stream = stream
        self._iterator: Generator[Any, None, None] = self._iterate(stream._run(None))

    def _iterate(self, events: Generator[Any, None, None]) -> Generator[Any, None, None]:
        """What ``_events`` makes of each event, with its text delta case written out.

        Nearly every event of a stream is a text delta, followed by its
        ``text`` event. Handing both out from one generator costs less than a
        call of ``_events`` and a tuple per event, and this is the one place
        where the helper adds to the cost of every event of ``create``.
        """
        texts = self._texts
        other = self._other
        delta_class = text_class = None
        try:
            for event in events:
                if type(event) is delta_class:
                    fields = event.__dict__  # one read, not two: a model's attributes are slow
                    delta = fields["delta"]
                    if type(delta) is text_class:
                        pieces = texts.get(fields["index"])
                        if pieces is not None:
                            text = delta.text
                            pieces.append(text)
                            # ``_snapshot_event``, written out: a call would cost a third of it.
                            made = _new(TextEvent)
                            made_fields = made.__dict__
                            made_fields["type"] = "text"
                            made_fields["text"] = text
                            made_fields[_PENDING] = (pieces, len(pieces))
                            yield event
                            yield made
                            continue
                yield from other(event)
                delta_class, text_class = self._delta_class, self._text_class
        finally:
            # Also when ``_other`` raised: the stream's own ``finally`` closes the response.
            events.close()

    def __iter__(self) -> Iterator[MessageStreamEvent[_E, _M, _B]]:
        return self._iterator

    def __next__(self) -> MessageStreamEvent[_E, _M, _B]:
        event: MessageStreamEvent[_E, _M, _B] = next(self._iterator)
        return event

    @property
    def text_stream(self) -> Iterator[str]:
        """The text deltas, as they arrive."""
        for event in self._iterator:
            if event.type == "text":
                yield event.text

    def until_done(self) -> None:
        for _ in self._iterator:
            pass

    def get_final_message(self) -> _M:
        """Read the rest of the stream; the complete message."""
        self.until_done()
        return self._final_message()

    def get_final_text(self) -> str:
        """The text blocks of the final message, joined; raises if there are none."""
        self.until_done()
        self._accumulator.flush()
        assert self._accumulator.message is not None
        return _final_text(self._accumulator.message)

    def close(self) -> None:
        self._iterator.close()
        self._stream.close()

    def __enter__(self) -> MessageStream[_E, _M, _B]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class MessageStreamManager(Generic[_E, _M, _B]):
    """What ``client.messages.stream(...)`` returns: the request starts on ``with``."""

    def __init__(self, api_request: Callable[[], Stream[Any]], *, message_type: type[_M]) -> None:
        self._api_request = api_request
        self._message_type = message_type
        self._stream: MessageStream[_E, _M, _B] | None = None

    def __enter__(self) -> MessageStream[_E, _M, _B]:
        self._stream = MessageStream(self._api_request(), message_type=self._message_type)
        return self._stream

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncMessageStream(_MessageStreamBase[_E, _M, _B]):
    """The async twin of ``MessageStream``."""

    def __init__(self, stream: AsyncStream[Any], *, message_type: type[_M]) -> None:
        super().__init__(stream.response, message_type)
        self._stream = stream
        self._iterator: AsyncGenerator[Any, None] = stream._run(self._events)

    def __aiter__(self) -> AsyncIterator[MessageStreamEvent[_E, _M, _B]]:
        return self._iterator

    async def __anext__(self) -> MessageStreamEvent[_E, _M, _B]:
        event: MessageStreamEvent[_E, _M, _B] = await self._iterator.__anext__()
        return event

    @property
    async def text_stream(self) -> AsyncIterator[str]:
        async for event in self._iterator:
            if event.type == "text":
                yield event.text

    async def until_done(self) -> None:
        async for _ in self._iterator:
            pass

    async def get_final_message(self) -> _M:
        await self.until_done()
        return self._final_message()

    async def get_final_text(self) -> str:
        await self.until_done()
        self._accumulator.flush()
        assert self._accumulator.message is not None
        return _final_text(self._accumulator.message)

    async def close(self) -> None:
        await self._iterator.aclose()
        await self._stream.close()

    async def __aenter__(self) -> AsyncMessageStream[_E, _M, _B]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AsyncMessageStreamManager(Generic[_E, _M, _B]):
    """What the async ``client.messages.stream(...)`` returns; use ``async with``."""

    def __init__(
        self,
        api_request: Callable[[], Awaitable[AsyncStream[Any]]],
        *,
        message_type: type[_M],
    ) -> None:
        self._api_request = api_request
        self._message_type = message_type
        self._stream: AsyncMessageStream[_E, _M, _B] | None = None

    async def __aenter__(self) -> AsyncMessageStream[_E, _M, _B]:
        stream = await self._api_request()
        self._stream = AsyncMessageStream(stream, message_type=self._message_type)
        return self._stream

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
