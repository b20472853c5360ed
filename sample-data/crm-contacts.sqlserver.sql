-- Sample CRM contacts table for BatchVideo table campaigns (see README, "Table campaigns").
-- Rows mirror sample-data/contacts.csv; C-1005 is unsubscribed (left out by the sample Filter), C-1007 has no first name (rejected).
CREATE TABLE dbo.Contacts (
    id nvarchar(20) NOT NULL PRIMARY KEY,
    first_name nvarchar(100) NULL,
    last_name nvarchar(100) NULL,
    email nvarchar(200) NULL,
    company nvarchar(200) NULL,
    city nvarchar(100) NULL,
    product_interest nvarchar(50) NULL,
    account_owner nvarchar(100) NULL,
    status nvarchar(20) NOT NULL DEFAULT N'active',
    video_id nvarchar(64) NULL,
    video_status nvarchar(32) NULL,
    video_url nvarchar(max) NULL,
    video_updated_at datetime2 NULL);
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1001', N'Amélie', N'Durand', N'amelie.durand@example.com', N'Boulangerie Durand', N'Lyon', N'inventory', N'Sofia', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1002', N'Jonas', N'Müller', N'jonas.mueller@example.de', N'Müller & Söhne GmbH', N'München', N'analytics', N'Sofia', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1003', N'Priya', N'Raman', N'priya.raman@example.in', N'Raman Textiles, Pvt. Ltd.', N'Chennai', N'forecasting', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1004', N'Søren', N'Kierkegaard', N'soren.k@example.dk', N'Nordisk Lys', N'København', N'analytics', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1005', N'Zoë', N'O''Brien', N'zoe.obrien@example.ie', N'O''Brien "Fresh" Foods', N'Dublin', N'inventory', N'Sofia', N'unsubscribed');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1006', N'José', N'Martínez', N'jose.martinez@example.es', N'Martínez y Asociados', N'Sevilla', N'billing', N'Lena', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1007', NULL, N'Nguyen', N't.nguyen@example.vn', N'Saigon Coffee Roasters', N'Ho Chi Minh City', N'inventory', N'Lena', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1008', N'Ωmega', N'Papadopoulos', N'omega.p@example.gr', N'Aegean Shipping', N'Πειραιάς', N'forecasting', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1009', N'美咲', N'佐藤', N'misaki.sato@example.jp', N'佐藤商事', N'東京', N'analytics', N'Lena', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1010', N'Олег', N'Иванов', N'oleg.ivanov@example.ru', N'Север Логистика', N'Санкт-Петербург', N'billing', N'Sofia', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1011', N'Chloé', N'Lefèvre', N'chloe.lefevre@example.fr', N'Atelier Lefèvre, Paris', N'Paris', N'inventory', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1012', N'Mohammed', N'Al-Farsi', N'm.alfarsi@example.om', N'Al-Farsi Trading', N'Muscat', N'billing', N'Lena', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1013', N'Björn', N'Lindqvist', N'bjorn.l@example.se', N'Lindqvist Bygg AB', N'Göteborg', N'forecasting', N'Sofia', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1014', N'Ana', N'Silva', N'ana.silva@example.br', N'Silva & Filhos', N'São Paulo', N'analytics', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1015', N'Łukasz', N'Wójcik', N'lukasz.wojcik@example.pl', N'Wójcik Meble', N'Kraków', N'inventory', N'Lena', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1016', N'Aoife', N'Ní Bhriain', N'aoife@example.ie', N'Glór Media "Studio 3"', N'Galway', N'analytics', N'Sofia', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1017', N'Emeka', N'Okafor', N'emeka.okafor@example.ng', N'Okafor Agro', N'Lagos', N'billing', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1018', N'Hana', N'Novák', N'hana.novak@example.cz', N'Novák s.r.o.', N'Brno', N'forecasting', N'Lena', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1019', N'Liam', N'Smith', N'liam.smith@example.com', N'Smith, Jones & Partners', N'Boston', N'inventory', N'Sofia', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1020', N'Fatma', N'Yılmaz', N'fatma.yilmaz@example.tr', N'Yılmaz Tekstil', N'İstanbul', N'analytics', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1021', N'Mei', N'Chen', N'mei.chen@example.tw', N'Chen Electronics
Taipei Branch', N'Taipei', N'billing', N'Lena', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1022', N'Dmitri', N'Kovalenko', N'd.kovalenko@example.ua', N'Kovalenko IT', N'Київ', N'forecasting', N'Sofia', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1024', N'Noah', N'Williams', N'=HYPERLINK("mailto:noah.w@example.au")', N'Williams Surf Co.', N'Sydney', N'inventory', N'Marcus', N'active');
INSERT INTO dbo.Contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES (N'C-1025', N'Inès', N'Benali', N'ines.benali@example.ma', N'Benali Cosmétiques', N'Casablanca', N'billing', N'Lena', N'active');
