// Reads a Parquet file with DuckDB and prints, as JSON, its schema (column
// name and type), its rows (in file order) and its key-value metadata:
// portal/parquet_test.go compares them with the portal's CSV download.
// usage: node read.mjs FILE.parquet
import { DuckDBInstance } from "@duckdb/node-api";

const file = process.argv[2];
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const esc = file.replaceAll("'", "''");
const schema = (await con.runAndReadAll(`SELECT name, type FROM parquet_schema('${esc}') WHERE num_children IS NULL`)).getRowObjectsJS();
const rows = (await con.runAndReadAll(`SELECT * FROM read_parquet('${esc}')`)).getRowsJS();
const kv = (await con.runAndReadAll(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${esc}')`)).getRowObjectsJS();
const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${esc}')`)).getRowObjectsJS();
process.stdout.write(JSON.stringify({ schema, described, rows, kv }, (k, v) => (typeof v === "bigint" ? v.toString() : v)));
