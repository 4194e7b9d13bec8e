// Package data holds the reference data committed with the portal: the
// region codes and names under reference/, with their source and licence.
// It exists only to embed those files; internal/region reads them.
//
// Runtime files (*.db, inbox/, secret.key) also live in this directory but
// are gitignored and never embedded.
package data

import "embed"

// Reference holds the files under reference/: the region tables written by
// scripts/genreference (provinces.tsv, regencies.tsv, districts.tsv,
// villages.tsv.gz), their README.md and the ODbL licence text, which ships
// inside the binary with the data it covers.
//
//go:embed reference/*
var Reference embed.FS
