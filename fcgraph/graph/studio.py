"""The dialogue graph for `langgraph dev` and LangGraph Studio (see langgraph.json).

The server brings its own checkpointer and no run context: the nodes then use the default context
(the TOML file in $FCGRAPH_CONFIG, or the defaults; sandboxes under $FCGRAPH_STUDIO_OUT, default
runs/studio). Start a thread with `{"attempt": 3}` to play the dialogue `fcgraph run` plans as
attempt 3, and step through it node by node.
"""

from fcgraph.graph.builder import build_graph

graph = build_graph().compile()
