// Word lists for synthetic company names and primary contacts (fake but real-looking PII for masking tests).
//
// Emails use reserved example.com subdomains and phones the fictional 555-01XX range, so no value can reach a
// real person. A few names carry an apostrophe or an accent to exercise quoting and UTF-8 handling downstream.

import type { Industry } from './dataset.js';

export const COMPANY_PREFIXES: readonly string[] = [
  'Northwind', 'Bluefin', 'Cobalt', 'Summit', 'Brightline', 'Ironwood', 'Silverleaf', 'Redwood',
  'Granite', 'Harbor', 'Lumen', 'Vertex', 'Keystone', 'Beacon', 'Pioneer', 'Meridian',
  'Evergreen', 'Cascade', 'Juniper', 'Atlas', 'Nimbus', 'Orbit', 'Quartz', 'Sparrow',
  'Tidewater', 'Willow', 'Zenith', 'Copper', 'Falcon', 'Horizon', 'Maple', 'Onyx',
  'Prairie', 'Riverbend', 'Sable', 'Terra', 'Upland', 'Vantage', 'Wren', 'Alder',
];

/** Second word of a company name, by industry, so names read like their vertical. */
export const COMPANY_NOUNS: Readonly<Record<Industry, readonly string[]>> = {
  saas: ['Cloud', 'Labs', 'Software', 'Stack', 'Works', 'Logic'],
  fintech: ['Pay', 'Capital', 'Ledger', 'Finance', 'Lending', 'Money'],
  healthtech: ['Health', 'Care', 'Clinic', 'Medical', 'Bio', 'Wellness'],
  ecommerce: ['Commerce', 'Market', 'Shop', 'Goods', 'Cart', 'Retail'],
  edtech: ['Learning', 'Academy', 'Education', 'Tutor', 'Classroom', 'Scholar'],
  manufacturing: ['Manufacturing', 'Industries', 'Fabrication', 'Machining', 'Materials', 'Robotics'],
  logistics: ['Logistics', 'Freight', 'Shipping', 'Transit', 'Fleet', 'Supply'],
  media: ['Media', 'Studios', 'Broadcasting', 'Publishing', 'Pictures', 'Audio'],
  other: ['Group', 'Partners', 'Holdings', 'Ventures', 'Services', 'Solutions'],
};

/** Legal suffixes; ", Inc." puts a comma in the name, which the CSV writer must quote. */
export const LEGAL_SUFFIXES: readonly (readonly [string, number])[] = [
  [' Inc.', 35],
  [', Inc.', 15],
  [' LLC', 20],
  [' Corp.', 10],
  ['', 20],
];

export const FIRST_NAMES: readonly string[] = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Benjamin',
  'Mia', 'Lucas', 'Charlotte', 'Henry', 'Amelia', 'Alexander', 'Harper', 'Daniel', 'Evelyn', 'Michael',
  'Priya', 'Wei', 'Aisha', 'Mateo', 'Yuki', 'Omar', 'Fatima', 'Santiago', 'Mei', 'Kwame',
  'Chloé', 'José', 'Zoë', 'Raj', 'Ingrid', 'Diego', 'Hannah', 'Samuel', 'Leah', 'Gabriel',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Nguyen', 'Patel', 'Kim', 'Chen', 'Okafor', 'Schmidt', 'Kowalski', 'Haddad', 'Tanaka',
  "O'Brien", "O'Connor", 'Núñez', 'Müller', 'Rossi', 'Novak', 'Sullivan', 'Bennett', 'Foster', 'Reyes',
];

/** Area codes per state, for the contact's phone. */
export const AREA_CODES: Readonly<Record<string, readonly number[]>> = {
  CA: [415, 650, 408, 310, 619],
  NY: [212, 646, 718],
  TX: [512, 214, 713],
  WA: [206, 425],
  FL: [305, 407, 813],
  IL: [312, 773],
  PA: [215, 412],
  OH: [614, 216],
  GA: [404, 678],
  NC: [919, 704],
  MA: [617, 781],
  CO: [303, 720],
  VA: [703, 804],
  NJ: [201, 973],
  UT: [801, 385],
  OR: [503, 541],
  AZ: [602, 480],
  MN: [612, 651],
  MI: [313, 616],
  MD: [410, 301],
  TN: [615, 901],
};

/** ASCII, lower-case, letters only: "O'Brien" -> "obrien", "Núñez" -> "nunez". */
export function emailLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
