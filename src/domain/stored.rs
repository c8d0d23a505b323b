//! Enums stored as a text code: one macro gives each the database mapping, the JSON form and
//! `Display`, all through its `code()`, so a column holding an unknown code is a decode
//! error rather than a default.

/// For an enum with `ALL` and `code()`: `from_code` (strict), `sqlx` TEXT mapping,
/// `Serialize` and `Display` as the code.
macro_rules! stored_as_code {
    ($name:ident) => {
        impl $name {
            /// The variant whose code is exactly `code`, or none.
            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.code() == code)
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                $name::from_code(text)
                    .ok_or_else(|| format!("unknown {} code {text:?}", stringify!($name)).into())
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.code(), buf)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use stored_as_code;

/// The checks every stored enum's tests share: each code reads back as its variant, codes
/// are distinct, and `unknown` is refused.
#[cfg(test)]
pub(crate) fn assert_codes_round_trip<T: Copy + PartialEq + std::fmt::Debug>(
    all: &[T],
    code: fn(T) -> &'static str,
    from_code: fn(&str) -> Option<T>,
    unknown: &str,
) {
    for &v in all {
        assert_eq!(from_code(code(v)), Some(v), "{v:?}");
    }
    let mut codes: Vec<_> = all.iter().map(|&v| code(v)).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len(), "codes are distinct");
    assert_eq!(from_code(unknown), None, "{unknown:?} is refused");
    assert_eq!(from_code(""), None);
}
