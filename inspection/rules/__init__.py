"""The rule engine: pure functions from a school table, county figures and findings to results."""

from inspection.rules.county import CountyFigure, IndicatorResult, check_county_indicators, county_figures_from_table
from inspection.rules.resources import ResourceEvaluation, evaluate_resources, resource_indicators, weighted_cv
from inspection.rules.verdict import Verdict, decide
from inspection.rules.vetoes import VetoFinding

__all__ = ["CountyFigure", "IndicatorResult", "ResourceEvaluation", "Verdict", "VetoFinding",
           "check_county_indicators", "county_figures_from_table", "decide", "evaluate_resources",
           "resource_indicators", "weighted_cv"]
