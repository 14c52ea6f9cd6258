#!/usr/bin/env python3
"""Optuna 3.1's NSGA-II and TPE samplers over tinysparse's policy genome.

Run by the benchmark harness (io.tinysparse.search.bench.SearcherComparison, started by
bench/searchers.sh), not by hand: this process writes its requests as JSON lines on standard
output and reads the harness's answers on standard input (see HarnessProtocol.java). The harness
owns the evaluator, the memory model and the accounting; this script only turns Optuna trials
into genomes and results back into trials.

Choices (the same for both samplers):
- Genome: one Optuna parameter per gene, unconditional: bias_depth and the per-layer ratio genes
  as integers (their values are ordered: deeper, larger), selection as a categorical. A
  structurally invalid combination (a weight layer outside the bias range) is mapped by the
  harness with the product's PolicySpace.makeValid, and the trial keeps the parameters Optuna
  sampled; two trials mapped to the same genome are a duplicate, told the same values, counted
  once.
- Infeasible genomes (the memory model's step above the SRAM budget) are never trained: the trial
  is told complete with a constraint violation (bytes - budget) / budget > 0 through
  `constraints_func`, so both samplers rank it below every feasible trial. Its objective values
  (accuracy 0, the model's bytes) are placeholders that Optuna 3.1's NSGA-II (constrained
  domination) and TPE (split by violation, weight EPS) do not read.
- NSGAIISampler(population_size=POPULATION, seed=SEED); TPESampler(multivariate=True,
  seed=SEED), its other settings Optuna's defaults (10 start-up trials); group=False since no
  parameter is conditional.
"""
import argparse
import json
import sys
import warnings


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sampler", choices=["nsga2", "tpe"], required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--runs", type=int, required=True, help="stop when this many runs are counted")
    p.add_argument("--population", type=int, default=16, help="NSGA-II population (default: 16)")
    p.add_argument("--max-trials", type=int, required=True, help="stop after this many trials in any case")
    return p.parse_args(argv)


class Harness:
    """The JSON-lines conversation with the Java harness over this process's stdout and stdin."""

    def __init__(self, requests, answers):
        self.requests = requests
        self.answers = answers

    def ask(self, request):
        self.requests.write(json.dumps(request) + "\n")
        self.requests.flush()
        line = self.answers.readline()
        if not line:
            raise SystemExit("bench/optuna_searchers.py: the harness closed the conversation")
        return json.loads(line)


def sampler_of(optuna, args):
    def violation(trial):
        return [trial.user_attrs["violation"]]

    if args.sampler == "nsga2":
        return optuna.samplers.NSGAIISampler(population_size=args.population, seed=args.seed,
                                             constraints_func=violation)
    return optuna.samplers.TPESampler(multivariate=True, seed=args.seed, constraints_func=violation)


def suggest(trial, gene):
    name, values = gene["name"], gene["values"]
    if name == "selection":
        return trial.suggest_categorical(name, list(range(values)))
    return trial.suggest_int(name, 0, values - 1)


def main(argv):
    args = parse_args(argv)
    try:
        import optuna
    except ImportError:
        print("bench/optuna_searchers.py: Optuna is not installed for " + sys.executable
              + " (apt-get install -y python3-optuna)", file=sys.stderr)
        return 2
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

    harness = Harness(sys.stdout, sys.stdin)
    space = harness.ask({"op": "space"})
    study = optuna.create_study(directions=["maximize", "minimize"], sampler=sampler_of(optuna, args))
    trials = counted = infeasible = duplicates = 0
    while counted < args.runs and trials < args.max_trials:
        trial = study.ask()
        genome = [suggest(trial, gene) for gene in space["genes"]]
        answer = harness.ask({"op": "evaluate", "genome": genome})
        trial.set_user_attr("violation", answer["violation"])
        trial.set_user_attr("outcome", answer["outcome"])
        accuracy = answer["accuracy"] if answer["accuracy"] is not None else 0.0
        study.tell(trial, [accuracy, float(answer["memory_bytes"])])
        trials += 1
        counted = answer["counted"]
        infeasible += answer["outcome"] == "infeasible"
        duplicates += answer["outcome"] == "duplicate"
    print(f"optuna {optuna.__version__} {args.sampler} seed {args.seed}: {trials} trials, {counted} counted,"
          f" {infeasible} infeasible, {duplicates} duplicates", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
