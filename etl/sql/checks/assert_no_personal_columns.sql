-- personal data never reaches the warehouse: no column named like a NIK, name or address
select table_name, column_name
from information_schema.columns
where lower(column_name) in ('nik', 'nama', 'child_name', 'parent_name', 'nama_ortu', 'alamat', 'address', 'birth_date', 'tgl_lahir', 'phone')
