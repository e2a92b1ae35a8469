/** Roster CSV vectors: good files with the participants they give, and bad files with the message a user sees. */

/** A good roster file exported by a spreadsheet: quoted fields, a comma and a quote inside names, CRLF. */
export const GOOD_CSV =
  'id,name,terra_user_id,max_hr_bpm,zones_bpm,colour,age_years,weight_kg,sex,devices\r\n' +
  'ana,"Ana ""The Rocket"" Ruiz",terra-ana,190,,#ff5d6c,34,61.5,f,ant:120:1001;ble:aa\r\n' +
  'ben,"Smith, Ben",,,100;120;140;160;175,,,,,\r\n' +
  ',Chloé,terra-chloe,180,,,,,,sim:strap3\r\n';

/** Bad files: text and a fragment of the error message each must produce. */
export const BAD_CSV: readonly { readonly why: string; readonly csv: string; readonly message: string }[] = [
  { why: 'empty file', csv: '', message: 'expected a header row' },
  { why: 'unknown column', csv: 'name,heart\nAna,1\n', message: 'line 1: unknown column "heart"' },
  { why: 'no name column', csv: 'id,max_hr_bpm\na,190\n', message: 'no "name" column' },
  { why: 'max HR not a number', csv: 'name,max_hr_bpm\nAna,190\nBen,fast\n', message: 'line 3: max_hr_bpm "fast" is not a number' },
  { why: 'max HR out of range', csv: 'name,max_hr_bpm\nAna,400\n', message: 'line 2: max_hr_bpm' },
  { why: 'unclosed quote', csv: 'name\n"Ana\n', message: 'line 2: a quoted field is never closed' },
  { why: 'unquoted comma', csv: 'name,max_hr_bpm\nSmith, Ben,180\n', message: 'line 2: 3 fields but the header has 2' },
  { why: 'duplicate id', csv: 'id,name\na,Ana\na,Anna\n', message: 'line 3: id "a" is already used on line 2' },
  {
    why: 'one sensor on two athletes',
    csv: 'name,devices\nAna,ant:120:1\nBen,ant:120:1\n',
    message: 'line 3: sensor "ant:120:1" is already assigned on line 2',
  },
  { why: 'bad sex', csv: 'name,sex\nAna,x\n', message: 'line 2: sex "x" must be' },
  { why: 'zones falling', csv: 'name,zones_bpm\nAna,150;140;160;170;180\n', message: 'zones must rise' },
  { why: 'bad colour', csv: 'name,colour\nAna,red\n', message: 'line 2: colour: colour must be #rrggbb' },
  { why: 'empty name', csv: 'name,max_hr_bpm\n ,180\n', message: 'line 2: name: name is empty' },
];
