"""The forecaster for any daily series: read, evaluate over rolling origins, report.

Pure code with no database or Django: numpy, pandas, LightGBM, statsmodels and holidays only.
``evaluate`` is the one entry point; ``SeriesRefused`` carries every refusal in words.
"""

from civic.insights.forecasting.evaluation import EvaluationSettings, evaluate
from civic.insights.forecasting.series import DailySeries, SeriesRefused, series_from_csv

__all__ = ["DailySeries", "EvaluationSettings", "SeriesRefused", "evaluate", "series_from_csv"]
