"""The answer stage: route a question, gather evidence, draft, check, measure, decide (AnswerAgent in agent.py).

This package file imports nothing, so verify/ and aggregate/ can import answer.signals and
answer.result without an import cycle through the agent.
"""
