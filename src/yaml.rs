use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

#[derive(Debug)]
pub enum Raw {
    Null,
    Bool(bool),
    Number,
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result { f.write_str("any YAML value") }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> { Ok(Raw::Bool(v)) }
            fn visit_i64<E>(self, _: i64) -> Result<Raw, E> { Ok(Raw::Number) }
            fn visit_u64<E>(self, _: u64) -> Result<Raw, E> { Ok(Raw::Number) }
            fn visit_i128<E>(self, _: i128) -> Result<Raw, E> { Ok(Raw::Number) }
            fn visit_u128<E>(self, _: u128) -> Result<Raw, E> { Ok(Raw::Number) }
            fn visit_f64<E>(self, _: f64) -> Result<Raw, E> { Ok(Raw::Number) }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> { Ok(Raw::Str(v.to_owned())) }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> { Ok(Raw::Str(v)) }
            fn visit_unit<E>(self) -> Result<Raw, E> { Ok(Raw::Null) }
            fn visit_none<E>(self) -> Result<Raw, E> { Ok(Raw::Null) }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<Spanned<Raw>>()? { v.push(x); }
                Ok(Raw::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = a.next_entry::<Spanned<String>, Spanned<Raw>>()? { v.push((k, x)); }
                Ok(Raw::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod t {
    use super::*;
    fn dump(src: &str, r: &Spanned<Raw>, ind: usize) {
        let sp = r.defined.span();
        let txt = match (sp.byte_offset(), sp.byte_len()) { (Some(o), Some(l)) => &src[o as usize..(o + l) as usize], _ => "?" };
        eprintln!("{:ind$}{}:{} [{:?}] {:?}", "", r.referenced.line(), r.referenced.column(), txt, match &r.value { Raw::Seq(_) => "seq".to_string(), Raw::Map(_) => "map".into(), x => format!("{x:?}") }, ind = ind);
        match &r.value {
            Raw::Seq(v) => for x in v { dump(src, x, ind + 2) },
            Raw::Map(v) => for (k, x) in v { eprintln!("{:ind$}key {:?} {}:{}", "", k.value, k.referenced.line(), k.referenced.column(), ind = ind + 1); dump(src, x, ind + 2) },
            _ => {}
        }
    }
    #[test]
    fn proto() {
        let src = "a: 282.41\nb: [1e3, 0x1F, 010, 1_000, .nan, \"96.5%\", yes, true, 12345678901234567890123456789.5]\nc: &x {d: 1.50, e: ~}\nf: *x\n2021: x\ng:\n  - 3\n  -   4.25  # c\nh: -0.5\ni: 是\n";
        let opts = serde_saphyr::options! { strict_booleans: true, leading_zero_numbers_as_strings: true, underscored_numbers_as_strings: true, non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough };
        let r: Spanned<Raw> = serde_saphyr::from_str_with_options(src, opts).unwrap();
        dump(src, &r, 0);
        panic!();
    }
}
