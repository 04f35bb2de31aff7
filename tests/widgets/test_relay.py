"""The relay's bookkeeping (widgets/live/relay.py), without a front-end: draws from a thread count
versions, the main thread's draws do not, and a pull resends the owner's tree only when the page
is behind. The page side is tested in JupyterLab (tests/browser/test_thread_messages_lab.py)."""

from __future__ import annotations

import threading

import ipywidgets

from w2v_widgets.widgets.live.relay import Relay


class _Counting(ipywidgets.HTML):
    sent = 0

    def send_state(self, key=None):
        type(self).sent += 1
        super().send_state(key)


def _in_thread(fn) -> None:
    thread = threading.Thread(target=fn)
    thread.start()
    thread.join()


def test_thread_draws_count_versions_and_a_pull_resends_only_when_behind():
    owner = ipywidgets.VBox([_Counting(), _Counting()])
    relay = Relay(owner)
    replies = []
    relay.send = lambda content, buffers=None: replies.append(content)  # what goes to the page
    relay.touch()  # the main thread: its messages arrive, nothing to count
    assert relay.version == 0 and replies == []
    _in_thread(relay.touch)
    _in_thread(relay.touch)
    assert relay.version == 2 and replies == [{"version": 1, "thread": True}, {"version": 2, "thread": True}]

    _Counting.sent = 0
    relay._on_page_message(relay, {"pull": 2}, [])  # the page saw both: nothing resent
    assert (relay.pulls, relay.resends, _Counting.sent) == (1, 0, 0)
    assert replies[-1] == {"version": 2, "active": False}
    relay._on_page_message(relay, {"pull": 1}, [])  # behind: the whole tree again
    assert (relay.pulls, relay.resends, _Counting.sent) == (2, 1, 2)
    relay.is_active = lambda: True
    relay._on_page_message(relay, {"pull": 2}, [])
    assert replies[-1] == {"version": 2, "active": True}
    relay._on_page_message(relay, {"other": 1}, [])  # not a pull: ignored
    assert relay.pulls == 3
    owner.close()
    relay.close()


def test_a_dashboard_has_one_relay_covering_its_parts():
    import w2v_widgets as w2v
    from tests.support.corpora import make_corpus

    dash = w2v.TrainingDashboard(corpus=make_corpus(200))
    relays = [w for w in [dash, *dash.children] if isinstance(w, Relay)]
    assert relays == [dash.relay]
    assert dash.status.relay is dash.relay and dash.loss_chart.relay is dash.relay
    assert not any(isinstance(c, Relay) for part in dash.parts for c in part.children)
    dash.close()
