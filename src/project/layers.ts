// The medallion layers a model's top folder puts it in; each maps to a schema in project.yml.
export const LAYERS = ['bronze', 'silver', 'platinum', 'ops'] as const;
export type Layer = (typeof LAYERS)[number];
