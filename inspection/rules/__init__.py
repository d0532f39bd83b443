"""The rule engine: pure functions from a school table, county figures and findings to results."""

from inspection.rules.assessment import Assessment, assess
from inspection.rules.county import (CountyAssessment, CountyFigure, IndicatorResult, assess_county,
                                     check_county_indicators, county_figures_from_table)
from inspection.rules.resources import ResourceEvaluation, evaluate_resources, resource_indicators, weighted_cv
from inspection.rules.verdict import Verdict, decide
from inspection.rules.vetoes import VetoFinding

__all__ = ["Assessment", "CountyAssessment", "CountyFigure", "IndicatorResult", "ResourceEvaluation", "Verdict",
           "VetoFinding", "assess", "assess_county", "check_county_indicators", "county_figures_from_table",
           "decide", "evaluate_resources", "resource_indicators", "weighted_cv"]
