/** OpenAPI (Swagger 2.0) definitions of tables: property types, formats, defaults and notes. */
import type { Column, Table } from "./schema-cache.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

export function swaggerType(type: string): string | undefined {
  if (type.endsWith("[]")) return "array";
  switch (type) {
    case "character varying":
    case "character":
    case "text":
      return "string";
    case "boolean":
      return "boolean";
    case "smallint":
    case "integer":
    case "bigint":
      return "integer";
    case "numeric":
    case "real":
    case "double precision":
      return "number";
    case "json":
    case "jsonb":
      return undefined;
    default:
      return "string";
  }
}

export function arrayItems(type: string): Json | undefined {
  return type.endsWith("[]") ? { type: swaggerType(type.slice(0, -2)) } : undefined;
}

/** A column default as a JSON value when it is a literal, as PostgREST shows it. */
function defaultValue(column: Column): Json | undefined {
  if (column.default === null) return undefined;
  let text = column.default;
  if (swaggerType(column.type) === "string") {
    const suffix = `::${column.type}`;
    if (text.endsWith(suffix)) text = text.slice(0, -suffix.length).replace(/^'|'$/g, "");
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function tableDefinition(table: Table): Json {
  const properties: Record<string, Json> = {};
  for (const column of table.columns) {
    const notes = ["Note:"];
    if (table.primaryKey.includes(column.name)) notes.push("This is a Primary Key.<pk/>");
    const fk = table.foreignKeys.find((key) => key.column === column.name);
    if (fk) {
      notes.push(
        `This is a Foreign Key to \`${fk.foreignTable}.${fk.foreignColumn}\`.` +
          `<fk table='${fk.foreignTable}' column='${fk.foreignColumn}'/>`,
      );
    }
    const description = notes.length > 1
      ? `${column.description ? `${column.description}\n\n` : ""}${notes.join("\n")}`
      : column.description ?? undefined;
    properties[column.name] = {
      default: defaultValue(column),
      description,
      enum: column.enum ?? undefined,
      format: column.type,
      maxLength: column.maxLength ?? undefined,
      type: swaggerType(column.type),
      items: arrayItems(column.type),
    };
  }
  const required = table.columns.filter((column) => !column.nullable).map((column) => column.name);
  return {
    description: table.description ?? undefined,
    type: "object",
    required: required.length > 0 ? required : undefined,
    properties,
  };
}
