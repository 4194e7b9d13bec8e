// Package data holds the reference data committed with the portal: the
// region codes and names and the provinces' population under reference/,
// with their sources and licences.
// It exists only to embed those files; internal/region reads them.
//
// Runtime files (*.db, inbox/, secret.key) also live in this directory but
// are gitignored and never embedded.
package data

import "embed"

// Reference holds the files under reference/: the region tables written by
// scripts/genreference (provinces.tsv, regencies.tsv, districts.tsv,
// villages.tsv.gz), their README.md and the ODbL licence text, which ships
// inside the binary with the data it covers, and the provinces' population
// (population.csv, sourced in POPULATION.md) used to weight the synthetic
// data and for per-capita figures.
//
//go:embed reference/*
var Reference embed.FS
