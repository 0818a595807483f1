//! Per-tenant exposures from hits, aggregated with polars (group_by / join).
//!
//! Only person-level hits count (confirmed, probable). A tenant's confidence is the best of its
//! hits, and its exposed fields are those of its hits at that confidence: a confirmed tenant's
//! list is never padded with fields from merely probable rows.

use crate::index::Index;
use crate::keys::{Field, KeyKind};
use crate::scan::{Confidence, Hit};
use polars::prelude::*;

/// Column names of the exposures table (CSV and Parquet).
pub fn exposure_columns() -> Vec<String> {
    let mut cols: Vec<String> = [
        "tenant_id",
        "confidence",
        "fields_exposed",
        "n_fields",
        "keys_matched",
        "strongest_key",
        "records",
        "sources",
        "n_sources",
        "co_exposed",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    cols.extend(Field::ALL.iter().map(|f| format!("exposed_{}", f.as_str())));
    cols
}

/// One tenant's exposure, as plain values (for CSV and reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// Tenant id.
    pub tenant_id: String,
    /// Best confidence.
    pub confidence: Confidence,
    /// Fields exposed at that confidence, in report order.
    pub fields: Vec<Field>,
    /// Key kinds that matched, strongest first.
    pub keys: Vec<KeyKind>,
    /// Dump rows.
    pub records: u32,
    /// Dump files, sorted.
    pub sources: Vec<String>,
    /// Sensitive categories found beside the tenant's fields (at the same confidence).
    pub co_exposed: Vec<crate::dump::sensitive::Category>,
}

/// Aggregates hits into exposures, one per tenant, sorted by tenant id.
pub fn exposures(index: &Index, sources: &[String], hits: &[Hit]) -> PolarsResult<Vec<Exposure>> {
    // Long form, one row per (hit, field, key), with tenants and files as numbers: a scan can
    // hold millions of hits, and their ids and paths are looked up once per tenant at the end.
    let mut tenant: Vec<u32> = Vec::new();
    let mut hit_no = Vec::new();
    let mut conf = Vec::new();
    let mut source: Vec<u32> = Vec::new();
    let mut field = Vec::new();
    let mut key = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        if !h.confidence.is_exposure() {
            continue;
        }
        for f in h.fields.iter() {
            for k in h.keys.iter() {
                tenant.push(h.tenant);
                hit_no.push(i as u32);
                conf.push(h.confidence as u32);
                source.push(h.file);
                field.push(f as u32);
                key.push(k as u32);
            }
        }
    }
    // Sensitive categories per hit, aggregated the same way.
    let (mut co_t, mut co_conf, mut co_cat) = (Vec::<u32>::new(), Vec::new(), Vec::new());
    for h in hits.iter().filter(|h| h.confidence.is_exposure()) {
        for c in h.co.iter() {
            co_t.push(h.tenant);
            co_conf.push(h.confidence as u32);
            co_cat.push(c as u32);
        }
    }
    let co_long = DataFrame::new(
        co_t.len(),
        vec![
            Column::new("tenant".into(), co_t),
            Column::new("conf".into(), co_conf),
            Column::new("cat".into(), co_cat),
        ],
    )?;
    let n = tenant.len();
    let long = DataFrame::new(
        n,
        vec![
            Column::new("tenant".into(), tenant),
            Column::new("hit_no".into(), hit_no),
            Column::new("conf".into(), conf),
            Column::new("source".into(), source),
            Column::new("field".into(), field),
            Column::new("key".into(), key),
        ],
    )?;
    let best = long
        .clone()
        .lazy()
        .group_by([col("tenant")])
        .agg([col("conf").min().alias("best")]);
    let sort = SortOptions::default();
    let df = long
        .lazy()
        .inner_join(best.clone(), col("tenant"), col("tenant"))
        .filter(col("conf").eq(col("best")))
        .group_by([col("tenant")])
        .agg([
            col("best").first().alias("conf"),
            col("field").unique().sort(sort).alias("fields"),
            col("key").unique().sort(sort).alias("keys"),
            col("source").unique().alias("sources"),
            col("hit_no").n_unique().alias("records"),
        ])
        .collect()?;
    let co_df = co_long
        .lazy()
        .inner_join(best, col("tenant"), col("tenant"))
        .filter(col("conf").eq(col("best")))
        .group_by([col("tenant")])
        .agg([col("cat").unique().sort(sort).alias("cats")])
        .collect()?;
    let u32_list = |ca: &ListChunked, i: usize| -> PolarsResult<Vec<u32>> {
        Ok(ca
            .get_as_series(i)
            .map(|s| s.u32().map(|c| c.iter().flatten().collect()))
            .transpose()?
            .unwrap_or_default())
    };
    let mut co_of: std::collections::HashMap<u32, Vec<crate::dump::sensitive::Category>> =
        Default::default();
    let co_tenants = co_df.column("tenant")?.u32()?.clone();
    let co_cats = co_df.column("cats")?.list()?.clone();
    for i in 0..co_df.height() {
        co_of.insert(
            co_tenants.get(i).unwrap_or(u32::MAX),
            u32_list(&co_cats, i)?
                .into_iter()
                .filter_map(|c| {
                    crate::dump::sensitive::Category::ALL
                        .get(c as usize)
                        .copied()
                })
                .collect(),
        );
    }
    let tenants = df.column("tenant")?.u32()?.clone();
    let confs = df.column("conf")?.u32()?.clone();
    let fields = df.column("fields")?.list()?.clone();
    let keys = df.column("keys")?.list()?.clone();
    let srcs = df.column("sources")?.list()?.clone();
    let records = df.column("records")?.cast(&DataType::UInt32)?;
    let records = records.u32()?.clone();
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let confidence = match confs.get(i) {
            Some(0) => Confidence::Confirmed,
            _ => Confidence::Probable,
        };
        let fields: Vec<Field> = u32_list(&fields, i)?
            .into_iter()
            .filter_map(|r| Field::ALL.get(r as usize).copied())
            .collect();
        let keys: Vec<KeyKind> = u32_list(&keys, i)?
            .into_iter()
            .filter_map(|r| KeyKind::from_u8(r as u8))
            .collect();
        let mut sources: Vec<String> = u32_list(&srcs, i)?
            .into_iter()
            .map(|f| sources.get(f as usize).cloned().unwrap_or_default())
            .collect();
        sources.sort();
        sources.dedup();
        let t = tenants.get(i).unwrap_or(u32::MAX);
        out.push(Exposure {
            co_exposed: co_of.remove(&t).unwrap_or_default(),
            tenant_id: index
                .tenants
                .get(t as usize)
                .map(|e| e.id.clone())
                .unwrap_or_default(),
            confidence,
            fields,
            keys,
            records: records.get(i).unwrap_or(0),
            sources,
        });
    }
    out.sort_by(|a, b| a.tenant_id.cmp(&b.tenant_id));
    Ok(out)
}

/// The exposures as table rows (strings), in [`exposure_columns`] order.
pub fn exposure_rows(exps: &[Exposure]) -> Vec<Vec<String>> {
    exps.iter()
        .map(|e| {
            let mut row = vec![
                e.tenant_id.clone(),
                e.confidence.as_str().to_string(),
                e.fields
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                e.fields.len().to_string(),
                e.keys
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                e.keys.first().map_or("", |k| k.as_str()).to_string(),
                e.records.to_string(),
                e.sources.join("|"),
                e.sources.len().to_string(),
                e.co_exposed
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
            ];
            row.extend(
                Field::ALL
                    .iter()
                    .map(|f| if e.fields.contains(f) { "yes" } else { "no" }.to_string()),
            );
            row
        })
        .collect()
}

/// The exposures as a typed polars frame (for Parquet): yes/no columns become booleans.
pub fn exposure_frame(exps: &[Exposure]) -> PolarsResult<DataFrame> {
    let rows = exposure_rows(exps);
    let cols = exposure_columns();
    let n = rows.len();
    let mut columns = Vec::with_capacity(cols.len());
    for (j, name) in cols.iter().enumerate() {
        let col_vals = rows.iter().map(|r| r[j].clone());
        let c = match name.as_str() {
            "n_fields" | "records" | "n_sources" => Column::new(
                name.as_str().into(),
                col_vals
                    .map(|v| v.parse::<u32>().unwrap_or(0))
                    .collect::<Vec<u32>>(),
            ),
            n if n.starts_with("exposed_") => Column::new(
                name.as_str().into(),
                col_vals.map(|v| v == "yes").collect::<Vec<bool>>(),
            ),
            _ => Column::new(name.as_str().into(), col_vals.collect::<Vec<String>>()),
        };
        columns.push(c);
    }
    DataFrame::new(n, columns)
}
