"""LoanRisk's training pipeline: from a dataset recipe to a model bundle (Data/models/README.md).

One concern per module:

    recipe       load and check a dataset recipe (training/recipes/<dataset>.json)
    data         read CSVs the way LoanRisk does (missing tokens), clean, type the raw columns
    derived      the executor of the bundle's derived-feature ops (map, ratio, difference, product)
    metrics      ROC-AUC, Gini, KS, Brier, ECE, reliability table, ROC points
    folds        repeated stratified folds and the out-of-fold runner
    lgbm         LightGBM parameters and training (deterministic)
    search       the hyperparameter search and its nested check
    parallel     fits in worker processes (results independent of their number)
    imbalance    none / class weights / SMOTE, compared on the same folds
    algorithms   the baselines: logistic regression, random forest, LightGBM's rf mode
    calibration  Platt scaling, measured cross-fitted and folded into model.txt
    policy       approve / review / decline cut-offs by expected cost
    reference    distributions for drift monitoring, score scaling
    samples      template, sample and golden CSVs
    pipeline     the whole build, writing model.txt, bundle.json, golden.csv
    bundle       assembling bundle.json
    missingness  what a missing input does to the risk (metrics.missing_inputs), for builds and shipped bundles
    readme       the "Bundled models" tables of Data/models/README.md
"""
